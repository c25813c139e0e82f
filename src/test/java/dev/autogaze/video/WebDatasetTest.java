package dev.autogaze.video;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Listing WebDataset shards: keys, member locations, kept columns, and what a damaged shard gives. */
class WebDatasetTest {

    @TempDir
    Path dir;

    private final Configuration conf = new Configuration();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Distinct pseudo-video bytes of n bytes (the listing never decodes them). */
    private static byte[] payload(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    private Path shard(String name, Map<String, byte[]> members) throws IOException {
        Path tar = dir.resolve(name);
        Files.createDirectories(tar.getParent());
        SampleShards.writeTar(tar, members);
        return tar;
    }

    private static Map<String, byte[]> members(Object... nameThenBytes) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenBytes.length; i += 2) {
            m.put((String) nameThenBytes[i], (byte[]) nameThenBytes[i + 1]);
        }
        return m;
    }

    private static List<String> ids(VideoDataset.Listing l) {
        return l.videos().stream().map(VideoRef::videoId).toList();
    }

    private static byte[] read(Path file, EmbeddedVideo embedded) throws IOException {
        TarIndex.Member m = (TarIndex.Member) embedded;
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] b = new byte[(int) m.size()];
            f.seek(m.offset());
            f.readFully(b);
            return b;
        }
    }

    @Test
    void samplesAreShardSlashKeyAndPointAtTheirVideoBytes() throws Exception {
        byte[] a = payload(1000, 1);
        byte[] b = payload(1537, 2);
        Path tar = shard("s/00007.tar", members("a.mp4", a, "a.json", bytes("{}"), "b.webm", b, "b.txt", bytes("hi")));
        VideoDataset.Listing l = VideoDataset.listing(tar.toString(), List.of(), conf);
        assertEquals(List.of("00007/a", "00007/b"), ids(l));
        assertEquals(List.of(), l.rejected());
        VideoRef first = l.videos().get(0);
        assertEquals("file:" + tar, first.path());
        assertEquals("a.mp4", first.member().name());
        assertArrayEquals(a, read(tar, first.member()));
        assertEquals("b.webm", l.videos().get(1).member().name());
        assertArrayEquals(b, read(tar, l.videos().get(1).member()));
        assertEquals(Map.of(), first.extra());
    }

    @Test
    void keptColumnsComeFromTheJsonFieldsAndTextMembersInTheOrderNamed() throws Exception {
        Path tar = shard("00000.tar", members(
                "k1.mp4", payload(10, 1), "k1.json", bytes("{\"caption\": \"a cat\", \"frames\": 48, \"tags\": [1,2]}"),
                "k1.txt", bytes("a cat on a mat"),
                "k2.mp4", payload(10, 2), "k2.json", bytes("{\"frames\": 12}")));
        VideoDataset.Listing l = WebDataset.listing(tar.toString(), List.of("txt", "caption", "frames", "tags"), conf);
        Map<String, String> k1 = l.videos().get(0).extra();
        assertEquals(List.of("txt", "caption", "frames", "tags"), List.copyOf(k1.keySet()));
        assertEquals("a cat on a mat", k1.get("txt"));
        assertEquals("a cat", k1.get("caption"));
        assertEquals("48", k1.get("frames"));
        assertEquals("[1,2]", k1.get("tags"));
        Map<String, String> k2 = l.videos().get(1).extra();
        assertEquals(List.of("txt", "caption", "frames", "tags"), List.copyOf(k2.keySet()));
        assertNull(k2.get("txt"));
        assertNull(k2.get("caption"));
        assertEquals("12", k2.get("frames"));
    }

    @Test
    void aSampleWhoseJsonIsBrokenIsRejectedOnlyWhenColumnsAreKept() throws Exception {
        Path tar = shard("00000.tar", members("k1.mp4", payload(10, 1), "k1.json", bytes("{not json"),
                "k2.mp4", payload(10, 2)));
        assertEquals(List.of("00000/k1", "00000/k2"), ids(WebDataset.listing(tar.toString(), List.of(), conf)));
        VideoDataset.Listing l = WebDataset.listing(tar.toString(), List.of("caption"), conf);
        assertEquals(List.of("00000/k2"), ids(l));
        assertEquals("00000/k1", l.rejected().get(0).videoId());
        assertTrue(l.rejected().get(0).reason().contains("k1.json is not JSON"), l.rejected().get(0).reason());
    }

    @Test
    void aTruncatedShardKeepsTheSamplesBeforeTheCutAndReportsTheShard() throws Exception {
        byte[] video = payload(5000, 3);
        Path tar = shard("00003.tar", members("a.mp4", video, "a.json", bytes("{}"), "b.mp4", video,
                "c.mp4", video));
        long cut = 512 + 5120 + 512 + 512 + 512 + 2000; // inside b.mp4's data
        try (RandomAccessFile f = new RandomAccessFile(tar.toFile(), "rw")) {
            f.setLength(cut);
        }
        VideoDataset.Listing l = WebDataset.listing(tar.toString(), List.of(), conf);
        assertEquals(List.of("00003/a"), ids(l));
        assertEquals(1, l.rejected().size());
        VideoDataset.Rejected r = l.rejected().get(0);
        assertEquals("00003", r.videoId());
        assertEquals(WebDataset.STAGE_SHARD, r.stage());
        assertEquals("shard file:" + tar + " is truncated: member b.mp4 needs bytes 7168..12168 but the file ends at "
                + cut + "; the 1 samples before that point are processed", r.reason());
    }

    @Test
    void aShardCutAtAMemberBoundaryOrWithADamagedHeaderIsReportedToo() throws Exception {
        Path tar = shard("00000.tar", members("a.mp4", payload(512, 1), "b.mp4", payload(512, 2)));
        try (RandomAccessFile f = new RandomAccessFile(tar.toFile(), "rw")) {
            f.setLength(2048); // both members whole, the end-of-archive blocks gone
        }
        VideoDataset.Listing cut = WebDataset.listing(tar.toString(), List.of(), conf);
        assertEquals(List.of("00000/a", "00000/b"), ids(cut));
        assertTrue(cut.rejected().get(0).reason().contains("ends after 2 members without the end-of-archive blocks"),
                cut.rejected().get(0).reason());
        Path bad = shard("00001.tar", members("a.mp4", payload(512, 1), "b.mp4", payload(512, 2)));
        try (RandomAccessFile f = new RandomAccessFile(bad.toFile(), "rw")) {
            f.seek(1024 + 10); // b.mp4's header: a byte of its name
            f.write('X');
        }
        VideoDataset.Listing damaged = WebDataset.listing(bad.toString(), List.of(), conf);
        assertEquals(List.of("00001/a"), ids(damaged));
        assertTrue(damaged.rejected().get(0).reason().contains("has a damaged header at byte 1024 (checksum mismatch)"),
                damaged.rejected().get(0).reason());
    }

    @Test
    void aSampleWithoutExactlyOneVideoIsRejectedNamingItsMembers() throws Exception {
        Path tar = shard("00000.tar", members("a.json", bytes("{}"), "a.txt", bytes("x"),
                "b.mp4", payload(10, 1), "b.webm", payload(10, 2), "c.mkv", payload(10, 3)));
        VideoDataset.Listing l = WebDataset.listing(tar.toString(), List.of(), conf);
        assertEquals(List.of("00000/c"), ids(l));
        Map<String, String> reasons = new HashMap<>();
        l.rejected().forEach(r -> reasons.put(r.videoId(), r.reason()));
        assertEquals("shard file:" + tar + ": sample a has no video member (members: a.json, a.txt)",
                reasons.get("00000/a"));
        assertEquals("shard file:" + tar + ": sample b has 2 video members (members: b.mp4, b.webm)",
                reasons.get("00000/b"));
    }

    @Test
    void aKeyInTwoSeparateRunsIsRejectedAsAmbiguous() throws Exception {
        Path tar = shard("00000.tar", members("a.mp4", payload(10, 1), "b.mp4", payload(10, 2),
                "a.json", bytes("{}")));
        VideoDataset.Listing l = WebDataset.listing(tar.toString(), List.of(), conf);
        assertEquals(List.of("00000/b"), ids(l));
        assertEquals(2, l.rejected().size());
        assertTrue(l.rejected().get(0).reason().contains("key a is used by 2 separate runs of members"));
    }

    @Test
    void keysFollowWebdatasetDotAndFolderRules() throws Exception {
        Path tar = shard("00000.tar", members("clips/x.seg1.mp4", payload(10, 1), "clips/x.json",
                bytes("{\"n\": 1}"), "v1.2/y.mp4", payload(10, 2)));
        VideoDataset.Listing l = WebDataset.listing(tar.toString(), List.of("n"), conf);
        // the key ends at the first dot of the last path part: "clips/x" (exts "seg1.mp4", "json"), "v1.2/y"
        assertEquals(List.of("00000/clips/x", "00000/v1.2/y"), ids(l));
        assertEquals("1", l.videos().get(0).extra().get("n"));
    }

    @Test
    void shardsWrittenByPythonTarfileInPaxAndGnuFormatsIndexTheSame() throws Exception {
        String longKey = "k".repeat(120);
        for (String format : List.of("PAX_FORMAT", "GNU_FORMAT")) {
            Path tar = dir.resolve(format + "/00000.tar");
            Files.createDirectories(tar.getParent());
            String py = "import io, tarfile\n"
                    + "t = tarfile.open('" + tar + "', 'w', format=tarfile." + format + ")\n"
                    + "for name, data in [('" + longKey + ".mp4', bytes(range(256)) * 7), ('" + longKey
                    + ".json', b'{\"caption\": \"\\u00e9t\\u00e9\"}'), ('short.webm', b'\\x1aE' * 300)]:\n"
                    + "    i = tarfile.TarInfo(name); i.size = len(data); t.addfile(i, io.BytesIO(data))\n"
                    + "t.close()\n";
            Process p = new ProcessBuilder("python3", "-c", py).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out);
            VideoDataset.Listing l = WebDataset.listing(tar.toString(), List.of("caption"), conf);
            assertEquals(List.of("00000/" + longKey, "00000/short"), ids(l), format);
            byte[] expected = new byte[256 * 7];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = (byte) (i % 256);
            }
            assertArrayEquals(expected, read(tar, l.videos().get(0).member()), format);
            assertEquals("\u00e9t\u00e9", l.videos().get(0).extra().get("caption"), format);
            byte[] webm = read(tar, l.videos().get(1).member());
            assertEquals(600, webm.length);
            assertEquals(List.of(), l.rejected(), format);
        }
    }

    @Test
    void folderGlobAndBraceListNameTheSameShards() throws Exception {
        for (int s = 0; s < 3; s++) {
            shard(String.format("shards/%05d.tar", s), members("a.mp4", payload(10, s), "b.mp4", payload(20, s)));
        }
        Files.writeString(dir.resolve("shards/readme.md"), "not a shard");
        List<String> expected = List.of("00000/a", "00000/b", "00001/a", "00001/b", "00002/a", "00002/b");
        assertEquals(expected, ids(VideoDataset.listing(dir.resolve("shards").toString(), List.of(), conf)));
        assertEquals(expected, ids(VideoDataset.listing(dir.resolve("shards/*.tar").toString(), List.of(), conf)));
        assertEquals(expected, ids(VideoDataset.listing(dir.resolve("shards/{00000..00002}.tar").toString(),
                List.of(), conf)));
        // a brace list naming a shard that is not there: a SHARD error row, the others still listed
        VideoDataset.Listing l = VideoDataset.listing(dir.resolve("shards/{00001..00003}.tar").toString(), List.of(),
                conf);
        assertEquals(expected.subList(2, 6), ids(l));
        assertEquals("00003", l.rejected().get(0).videoId());
        assertTrue(l.rejected().get(0).reason().endsWith("00003.tar (named by " + dir.resolve("shards")
                + "/{00001..00003}.tar) does not exist"), l.rejected().get(0).reason());
    }

    @Test
    void aFolderWithVideosIsAVideoFolderEvenWithTarsBeside() throws Exception {
        shard("mixed/00000.tar", members("a.mp4", payload(10, 1)));
        Files.write(dir.resolve("mixed/plain.mp4"), payload(10, 2));
        VideoDataset.Listing l = VideoDataset.listing(dir.resolve("mixed").toString(), List.of(), conf);
        assertEquals(List.of("plain.mp4"), ids(l));
        assertNull(l.videos().get(0).member());
    }

    @Test
    void nothingToListIsOneLineNamingTheInput() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        IOException none = assertThrows(IOException.class,
                () -> VideoDataset.listing(dir.resolve("empty/*.tar").toString(), List.of(), conf));
        assertEquals("no .tar shards found at " + dir.resolve("empty/*.tar"), none.getMessage());
        assertThrows(java.io.FileNotFoundException.class,
                () -> VideoDataset.listing(dir.resolve("missing.tar").toString(), List.of(), conf));
        IOException brace = assertThrows(IOException.class,
                () -> VideoDataset.listing(dir.resolve("s/{0..2.tar").toString(), List.of(), conf));
        assertTrue(brace.getMessage().contains("never closed"), brace.getMessage());
    }

    @Test
    void anEmptyShardIsReported() throws Exception {
        Path tar = shard("00000.tar", members());
        VideoDataset.Listing l = WebDataset.listing(tar.toString(), List.of(), conf);
        assertEquals(List.of(), l.videos());
        assertEquals("shard file:" + tar + " has no members", l.rejected().get(0).reason());
    }

    @Test
    void aMemberDecodesThroughCustomAvioToExactlyTheClipsOfItsFile() throws Exception {
        // MP4 with its index at the end (FFmpeg must seek to the end and back) and lossless FFV1 in Matroska
        List<SampleVideos.Spec> specs = List.of(TestVideos.spec("mp4", 96, 64, 20, 10, SampleVideos.Codec.H264),
                TestVideos.spec("ffv1", 64, 48, 18, 10, SampleVideos.Codec.FFV1));
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("pad.json", bytes("{\"pad\": \"" + "x".repeat(700) + "\"}"));
        List<Path> files = new java.util.ArrayList<>();
        for (SampleVideos.Spec spec : specs) {
            Path f = TestVideos.write(dir, spec);
            files.add(f);
            members.put(spec.name() + "." + spec.codec().extension(), Files.readAllBytes(f));
        }
        Path tar = shard("00000.tar", members);
        VideoDataset.Listing l = WebDataset.listing(tar.toString(), List.of(), conf);
        SamplingOptions o = SamplingOptions.defaults().withClipLength(8);
        for (int i = 0; i < specs.size(); i++) {
            VideoRef member = l.videos().get(i);
            try (LocalVideoFile v = LocalVideoFile.open(member, conf, dir);
                 ClipStream fromShard = ClipStream.open(member, v, o);
                 ClipStream fromFile = ClipStream.open(VideoRef.of(files.get(i).toString()), files.get(i), o)) {
                assertNull(v.path()); // read in place, not copied out
                int clips = 0;
                for (DecodedClip a = fromFile.next(), b = fromShard.next(); a != null || b != null;
                     a = fromFile.next(), b = fromShard.next(), clips++) {
                    assertArrayEquals(a.frameIndices(), b.frameIndices(), specs.get(i).name());
                    assertArrayEquals(a.timestampsSec(), b.timestampsSec(), 0.0, specs.get(i).name());
                    for (int t = 0; t < a.frames().frames().length; t++) {
                        assertArrayEquals(a.frames().frames()[t], b.frames().frames()[t], specs.get(i).name());
                    }
                }
                assertEquals(3, clips, specs.get(i).name());
            }
        }
    }
}
