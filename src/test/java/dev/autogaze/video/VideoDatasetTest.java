package dev.autogaze.video;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VideoDatasetTest {

    @TempDir
    Path dir;

    private final Configuration conf = new Configuration();

    private void touch(String rel) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "x");
    }

    private static List<String> ids(List<VideoRef> refs) {
        return refs.stream().map(VideoRef::videoId).toList();
    }

    @Test
    void directoryListingIsRecursiveFilteredSortedAndIdsAreRelative() throws Exception {
        for (String f : List.of("b/clip2.MP4", "a/clip1.webm", "a/deep/x.mkv", "a/readme.txt", "a/.hidden.mp4",
                "_tmp/y.mp4", "top.avi")) {
            touch(f);
        }
        List<VideoRef> refs = VideoDataset.list(dir.toString(), VideoDataset.DEFAULT_EXTENSIONS, conf);
        assertEquals(List.of("a/clip1.webm", "a/deep/x.mkv", "b/clip2.MP4", "top.avi"), ids(refs));
        assertEquals("file:" + dir.resolve("a/clip1.webm"), refs.get(0).path());
        // the same tree listed through a file: URI gives the same ids
        assertEquals(ids(refs), ids(VideoDataset.list(dir.toUri().toString(), Set.of(".mkv", "webm", "mp4", "AVI"), conf)));
    }

    @Test
    void aDanglingSymlinkIsListedAndFailsAtOpenNamingItsTarget() throws Exception {
        touch("a/good.mp4");
        Files.createSymbolicLink(dir.resolve("a/gone.mp4"), dir.resolve("elsewhere/deleted.mp4"));
        Files.createSymbolicLink(dir.resolve("a/gone.txt"), dir.resolve("elsewhere/deleted.txt"));
        Files.createSymbolicLink(dir.resolve("a/.hidden.mp4"), dir.resolve("elsewhere/x.mp4"));
        List<VideoRef> refs = VideoDataset.list(dir.toString(), VideoDataset.DEFAULT_EXTENSIONS, conf);
        assertEquals(List.of("a/gone.mp4", "a/good.mp4"), ids(refs));
        VideoDecodeException e = assertThrows(VideoDecodeException.class,
                () -> LocalVideoFile.open(refs.get(0).path(), conf, dir));
        assertEquals(DecodeStage.OPEN, e.stage());
        assertEquals("dangling symbolic link " + dir.resolve("a/gone.mp4") + " -> " + dir.resolve("elsewhere/deleted.mp4")
                + " (the target does not exist)", e.detail());
    }

    @Test
    void aFolderGivenAsAVideoFailsAtOpen() throws Exception {
        Files.createDirectories(dir.resolve("clip.mp4"));
        VideoDecodeException e = assertThrows(VideoDecodeException.class,
                () -> LocalVideoFile.open(dir.resolve("clip.mp4").toString(), conf, dir));
        assertEquals(dir.resolve("clip.mp4") + " is a directory, not a video file", e.detail());
    }

    @Test
    void globListingKeepsIdsRelativeToTheFixedPrefix() throws Exception {
        for (String f : List.of("train/a.mp4", "train/sub/b.mp4", "val/c.mp4", "train/d.webm")) {
            touch(f);
        }
        List<VideoRef> refs = VideoDataset.list(dir + "/t*", Set.of("mp4"), conf);
        assertEquals(List.of("train/a.mp4", "train/sub/b.mp4"), ids(refs));
    }

    @Test
    void emptyListingIsAnErrorNamingTheInput() throws Exception {
        touch("notes.txt");
        IOException e = assertThrows(IOException.class,
                () -> VideoDataset.list(dir.toString(), Set.of("mp4"), conf));
        assertEquals("no videos with extensions [mp4] found at " + dir, e.getMessage());
    }

    @Test
    void csvManifestKeepsQuotedFieldsExtrasInOrderAndResolvesRelativePaths() throws Exception {
        Files.writeString(dir.resolve("m.csv"), "path,label,video_id,start_sec,end_sec,split,note\r\n"
                + "videos/a.mp4,cat,,1.5,3,train,\"says \"\"hi\"\", twice\"\r\n"
                + "/abs/b.mp4,dog,B,,,,\"two\nlines\"\r\n");
        List<VideoRef> refs = VideoDataset.load(dir.resolve("m.csv").toString(), conf);
        VideoRef a = refs.get(0);
        assertEquals("videos/a.mp4@1.5-3", a.videoId());
        assertEquals("file:" + dir.resolve("videos/a.mp4"), a.path());
        assertEquals(1.5, a.startSec());
        assertEquals(3.0, a.endSec());
        assertEquals("train", a.split());
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("label", "cat");
        extra.put("note", "says \"hi\", twice");
        assertEquals(extra, a.extra());
        assertEquals(List.of("label", "note"), List.copyOf(a.extra().keySet()));
        VideoRef b = refs.get(1);
        assertEquals("B", b.videoId());
        assertEquals("/abs/b.mp4", b.path());
        assertNull(b.startSec());
        assertNull(b.split());
        assertEquals("two\nlines", b.extra().get("note"));
    }

    @Test
    void jsonLinesManifestPassesNonStringExtrasAsJsonText() throws Exception {
        Files.writeString(dir.resolve("m.jsonl"), "{\"path\": \"s3a://bucket/x.mp4\", \"start_sec\": 2, \"tags\": [1, 2],"
                + " \"score\": 0.5, \"missing\": null}\n\n{\"path\": \"y.mp4\", \"video_id\": \"why\"}\n");
        List<VideoRef> refs = VideoDataset.load(dir.resolve("m.jsonl").toString(), conf);
        assertEquals("bucket/x.mp4@2-", refs.get(0).videoId());
        assertEquals("s3a://bucket/x.mp4", refs.get(0).path());
        assertEquals("[1,2]", refs.get(0).extra().get("tags"));
        assertEquals("0.5", refs.get(0).extra().get("score"));
        assertNull(refs.get(0).extra().get("missing"));
        assertEquals("why", refs.get(1).videoId());
    }

    @Test
    void parquetManifestIsReadWithoutSpark() throws Exception {
        MessageType schema = MessageTypeParser.parseMessageType("message m { required binary path (UTF8); "
                + "optional double start_sec; optional binary split (UTF8); optional int32 label; }");
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir.resolve("m.parquet").toUri());
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(file).withType(schema).withConf(conf).build()) {
            w.write(groups.newGroup().append("path", "/data/a.mp4").append("start_sec", 0.5).append("label", 7));
            w.write(groups.newGroup().append("path", "/data/b.mp4").append("split", "val"));
        }
        List<VideoRef> refs = VideoDataset.load(dir.resolve("m.parquet").toString(), conf);
        assertEquals(List.of("data/a.mp4@0.5-", "data/b.mp4"), ids(refs));
        assertEquals(0.5, refs.get(0).startSec());
        assertEquals("7", refs.get(0).extra().get("label"));
        assertNull(refs.get(1).extra().get("label"));
        assertEquals("val", refs.get(1).split());
    }

    @Test
    void badManifestRowsAreErrorsNamingTheRow() throws Exception {
        Files.writeString(dir.resolve("dup.csv"), "path,video_id\na.mp4,X\nb.mp4,X\n");
        assertEquals(dir.resolve("dup.csv") + " row 1 and row 2 share video_id X", assertThrows(IOException.class,
                () -> VideoDataset.load(dir.resolve("dup.csv").toString(), conf)).getMessage());
        Files.writeString(dir.resolve("num.csv"), "path,start_sec\na.mp4,soon\n");
        assertEquals(dir.resolve("num.csv") + " row 1: start_sec 'soon' is not a number", assertThrows(IOException.class,
                () -> VideoDataset.load(dir.resolve("num.csv").toString(), conf)).getMessage());
        Files.writeString(dir.resolve("nopath.csv"), "file\na.mp4\n");
        assertEquals(dir.resolve("nopath.csv") + " has no 'path' column (columns: [file])",
                assertThrows(IOException.class, () -> VideoDataset.load(dir.resolve("nopath.csv").toString(), conf))
                        .getMessage());
        Files.writeString(dir.resolve("window.csv"), "path,start_sec,end_sec\na.mp4,3,2\n");
        assertEquals(dir.resolve("window.csv") + " row 1: end_sec 2.0 of a.mp4@3-2 must be after start_sec 3.0",
                assertThrows(IOException.class, () -> VideoDataset.load(dir.resolve("window.csv").toString(), conf))
                        .getMessage());
        Files.writeString(dir.resolve("bad.jsonl"), "{\"path\": \"a.mp4\"}\n[1]\n");
        assertEquals(dir.resolve("bad.jsonl") + " line 2 is not a JSON object", assertThrows(IOException.class,
                () -> VideoDataset.load(dir.resolve("bad.jsonl").toString(), conf)).getMessage());
    }

    @Test
    void aListingKeepsTheGoodRowsAndRejectsEachBadRowOnceNamingIt() throws Exception {
        Files.writeString(dir.resolve("m.csv"), String.join("\n",
                "path,video_id,start_sec,end_sec",
                "good.mp4,g,,",
                ",blank-path,,",
                "b.mp4,,soon,",
                "c.mp4,window,3,2",
                "d.mp4,twice,,",
                "e.mp4,twice,,",
                "f.mp4,wide,,,extra",
                ",,,") + "\n");
        VideoDataset.Listing l = VideoDataset.listing(dir.resolve("m.csv").toString(), conf);
        assertEquals(List.of("g"), ids(l.videos()));
        String m = dir.resolve("m.csv").toString();
        List<String> rejected = l.rejected().stream().map(r -> r.videoId() + " | " + r.path() + " | " + r.reason())
                .toList();
        assertEquals(List.of(
                "blank-path |  | " + m + " row 2 has a blank path",
                "b.mp4 | b.mp4 | " + m + " row 3: start_sec 'soon' is not a number",
                "window | c.mp4 | " + m + " row 4: end_sec 2.0 of window must be after start_sec 3.0",
                "wide | f.mp4 | " + m + " row 7 has 5 fields, the header has 4",
                "m.csv row 8 |  | " + m + " row 8 has a blank path",
                "twice | " + dir.resolve("d.mp4").toUri().getPath() + " | " + m
                        + " row 5 and row 6 share video_id twice",
                "twice | " + dir.resolve("e.mp4").toUri().getPath() + " | " + m + " row 5 and row 6 share video_id twice"),
                rejected.stream().map(r -> r.replace("file:", "")).toList());
        // the strict form fails on the first of them
        assertEquals(m + " row 2 has a blank path",
                assertThrows(IOException.class, () -> VideoDataset.load(m, conf)).getMessage());
    }

    @Test
    void aPathWithoutAFilePartIsARejectedRowNotACrash() throws Exception {
        // found by ManifestFuzzTest: VideoRef.idFromPath("/") threw IllegalArgumentException out of the listing
        Files.writeString(dir.resolve("slash.csv"), "path\n/\nok.mp4\n");
        VideoDataset.Listing l = VideoDataset.listing(dir.resolve("slash.csv").toString(), conf);
        assertEquals(List.of("ok.mp4"), ids(l.videos()));
        assertEquals(List.of(new VideoDataset.Rejected("slash.csv row 1", "/", dir.resolve("slash.csv")
                + " row 1: path / has no file part to derive a video_id from")), l.rejected());
    }

    @Test
    void aJsonLinesListingRejectsLinesThatAreNotObjectsInOneLine() throws Exception {
        Files.writeString(dir.resolve("m.jsonl"), "{\"path\": \"a.mp4\"}\n{\"path\": \"b\n[1]\n\"x\"\n");
        VideoDataset.Listing l = VideoDataset.listing(dir.resolve("m.jsonl").toString(), conf);
        assertEquals(List.of("a.mp4"), ids(l.videos()));
        assertEquals(3, l.rejected().size(), l.rejected().toString());
        assertEquals("m.jsonl line 2", l.rejected().get(0).videoId());
        assertTrue(l.rejected().get(0).reason().startsWith(dir.resolve("m.jsonl") + " line 2 is not valid JSON: "),
                l.rejected().get(0).reason());
        assertEquals(dir.resolve("m.jsonl") + " line 3 is not a JSON object", l.rejected().get(1).reason());
        for (VideoDataset.Rejected r : l.rejected()) {
            assertEquals(1, r.reason().lines().count(), r.reason());
        }
    }

    @Test
    void idFromPathDropsSchemeAndAuthority() {
        assertEquals("data/a/b.mp4", VideoRef.idFromPath("hdfs://nn:8020/data/a/b.mp4"));
        assertEquals("data/a/b.mp4", VideoRef.idFromPath("/data/a/b.mp4"));
        assertEquals("data/a/b.mp4", VideoRef.idFromPath("file:/data/a/b.mp4"));
        assertEquals("bucket/k.mp4", VideoRef.idFromPath("s3a://bucket/k.mp4"));
        assertEquals("rel/v.mp4", VideoRef.idFromPath("./rel/v.mp4"));
    }
}
