package dev.autogaze.video;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parquet tables whose rows hold the videos: listing (ids, windows, kept columns, row groups), bytes, errors. */
class VideoTableTest {

    @TempDir
    Path dir;

    private final Configuration conf = new Configuration();

    private static final MessageType SCHEMA = MessageTypeParser.parseMessageType("message t {"
            + " optional binary video_id (UTF8); required group video { optional binary bytes; optional binary path"
            + " (UTF8); } optional double start_sec; optional binary split (UTF8); optional int32 label;"
            + " optional binary caption (UTF8); }");

    /** Writes rows {id or null, bytes or null, start or null, label}; a tiny row group size forces several groups. */
    private Path table(String name, List<Object[]> rows) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
                .withType(SCHEMA).withConf(conf).withRowGroupSize(1024L).withPageSize(512)
                .withMinRowCountForPageSizeCheck(1).withMaxRowCountForPageSizeCheck(1).build()) {
            for (Object[] r : rows) {
                Group g = groups.newGroup();
                if (r[0] != null) {
                    g.append("video_id", (String) r[0]);
                }
                Group v = g.addGroup("video");
                if (r[1] != null) {
                    v.append("bytes", Binary.fromConstantByteArray((byte[]) r[1]));
                }
                if (r[2] != null) {
                    g.append("start_sec", (Double) r[2]);
                }
                g.append("label", (Integer) r[3]).append("caption", "c" + r[3]);
                w.write(g);
            }
        }
        return file;
    }

    private static List<String> ids(VideoDataset.Listing l) {
        return l.videos().stream().map(VideoRef::videoId).toList();
    }

    private static byte[] payload(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + seed);
        }
        return b;
    }

    private byte[] bytesOf(VideoRef ref) throws Exception {
        try (LocalVideoFile v = LocalVideoFile.open(ref, conf, dir)) {
            assertNull(v.path()); // never written out to a file
            return v.stream().readAllBytes();
        }
    }

    @Test
    void rowsAreVideosWithTheirIdsWindowsKeptColumnsAndBytesAcrossRowGroups() throws Exception {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            rows.add(new Object[] {i % 3 == 0 ? null : "v" + i, payload(700 + i, i), i == 4 ? 1.5 : null, i});
        }
        Path t = table("data/train-0.parquet", rows);
        VideoDataset.Listing l = VideoTable.listing(t.toString(), "video.bytes", List.of("label", "caption"), conf);
        assertEquals(List.of("train-0/0", "v1", "v2", "train-0/3", "v4", "v5", "train-0/6", "v7", "v8", "train-0/9",
                "v10", "v11"), ids(l));
        assertEquals(List.of(), l.rejected());
        int groups = 0;
        for (int i = 0; i < 12; i++) {
            VideoRef r = l.videos().get(i);
            TableCell cell = (TableCell) r.member();
            assertEquals(i, cell.row());
            groups = Math.max(groups, cell.rowGroup() + 1);
            assertArrayEquals(payload(700 + i, i), bytesOf(r), r.videoId());
            assertEquals(Integer.toString(i), r.extra().get("label"));
            assertEquals("c" + i, r.extra().get("caption"));
            assertEquals(List.of("label", "caption"), List.copyOf(r.extra().keySet()));
        }
        assertTrue(groups > 1, "the test wants several row groups, got " + groups);
        assertEquals(1.5, l.videos().get(4).startSec());
        // a folder of tables: ids relative to it
        VideoDataset.Listing folder = VideoTable.listing(dir.resolve("data").toString(), "video.bytes", List.of(),
                conf);
        assertEquals(ids(l), ids(folder));
    }

    @Test
    void aNullCellIsAnOpenErrorAndSharedIdsAreRejected() throws Exception {
        Path t = table("t.parquet", List.of(new Object[] {"a", null, null, 1}, new Object[] {"b", payload(10, 1), null,
                2}, new Object[] {"b", payload(10, 2), null, 3}));
        VideoDataset.Listing l = VideoTable.listing(t.toString(), "video.bytes", List.of(), conf);
        assertEquals(List.of("a"), ids(l));
        assertEquals(2, l.rejected().size());
        assertTrue(l.rejected().get(0).reason().endsWith("video_id b is used by 2 rows"), l.rejected().get(0).reason());
        VideoDecodeException e = assertThrows(VideoDecodeException.class,
                () -> LocalVideoFile.open(l.videos().get(0), conf, dir));
        assertEquals(DecodeStage.OPEN, e.stage());
        assertTrue(e.getMessage().contains("video.bytes is null in row 0"), e.getMessage());
    }

    @Test
    void aVideoColumnThatIsNotOneBinaryValuePerRowIsOneLineNamingIt() throws Exception {
        Path t = table("t.parquet", List.<Object[]>of(new Object[] {"a", payload(10, 1), null, 1}));
        IOException missing = assertThrows(IOException.class,
                () -> VideoTable.listing(t.toString(), "movie", List.of(), conf));
        assertEquals("--video-column: file:" + t + " has no column movie (columns: video_id, video, start_sec, split,"
                + " label, caption)", missing.getMessage());
        IOException group = assertThrows(IOException.class,
                () -> VideoTable.listing(t.toString(), "video", List.of(), conf));
        assertTrue(group.getMessage().endsWith("column video is a group, not binary video bytes (name a binary field"
                + " inside it, e.g. video.bytes)"), group.getMessage());
        IOException number = assertThrows(IOException.class,
                () -> VideoTable.listing(t.toString(), "label", List.of(), conf));
        assertTrue(number.getMessage().endsWith("column label is int32, not binary video bytes"), number.getMessage());
        IOException keep = assertThrows(IOException.class,
                () -> VideoTable.listing(t.toString(), "video.bytes", List.of("tags"), conf));
        assertTrue(keep.getMessage().startsWith("--keep-columns: file:" + t + " has no column tags"), keep.getMessage());
    }

    @Test
    void aTableWrittenByPyarrowLikeAHuggingFaceExportDecodesToTheClipsOfItsFiles() throws Exception {
        List<SampleVideos.Spec> specs = List.of(TestVideos.spec("a", 96, 64, 20, 10, SampleVideos.Codec.H264),
                TestVideos.spec("b", 64, 48, 18, 10, SampleVideos.Codec.VP9));
        List<Path> files = new ArrayList<>();
        for (SampleVideos.Spec s : specs) {
            files.add(TestVideos.write(dir, s));
        }
        Path t = dir.resolve("hf.parquet");
        String py = "import pyarrow as pa, pyarrow.parquet as pq, sys\n"
                + "files = sys.argv[1:]\n"
                + "video = pa.array([{'bytes': open(f, 'rb').read(), 'path': f} for f in files],"
                + " pa.struct([('bytes', pa.binary()), ('path', pa.string())]))\n"
                + "pq.write_table(pa.table({'video': video, 'caption': ['first', 'second']}), '" + t + "')\n";
        List<String> cmd = new ArrayList<>(List.of("python3", "-c", py));
        files.forEach(f -> cmd.add(f.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        VideoDataset.Listing l = VideoTable.listing(t.toString(), "video.bytes", List.of("caption"), conf);
        assertEquals(List.of("hf/0", "hf/1"), ids(l));
        assertEquals("second", l.videos().get(1).extra().get("caption"));
        SamplingOptions o = SamplingOptions.defaults().withClipLength(8);
        for (int i = 0; i < files.size(); i++) {
            try (LocalVideoFile v = LocalVideoFile.open(l.videos().get(i), conf, dir);
                 ClipStream fromTable = ClipStream.open(l.videos().get(i), v, o);
                 ClipStream fromFile = ClipStream.open(VideoRef.of(files.get(i).toString()), files.get(i), o)) {
                int clips = 0;
                for (DecodedClip a = fromFile.next(), b = fromTable.next(); a != null || b != null;
                     a = fromFile.next(), b = fromTable.next(), clips++) {
                    assertArrayEquals(a.frameIndices(), b.frameIndices());
                    for (int f = 0; f < a.frames().frames().length; f++) {
                        assertArrayEquals(a.frames().frames()[f], b.frames().frames()[f], "clip " + clips);
                    }
                }
                assertEquals(3, clips);
            }
        }
    }
}
