package dev.autogaze.job;

import dev.autogaze.io.OutputSchema;
import dev.autogaze.video.SampleShards;
import dev.autogaze.video.SampleVideos;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job over WebDataset shards in Spark local mode: a shard's samples give the rows their videos give as plain
 * files, kept columns land in every row, and a corrupt member, a sample without a video and a cut shard are error
 * rows while the other samples come through.
 */
class WebDatasetJobTest {

    static SparkSession spark;
    static Path dir;
    static SampleShards.Written written;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("autogaze-wds");
        written = SampleShards.write(dir.resolve("shards"), 1, 3);
        Path videos = dir.resolve("videos");
        List<Path> files = SampleVideos.writeDefaultSet(videos);
        byte[] h264 = Files.readAllBytes(files.get(0));
        // 00001: a corrupt video member, a sample with no video, a good one
        Map<String, byte[]> bad = new LinkedHashMap<>();
        bad.put("x.mp4", "this is not a video container".getBytes(StandardCharsets.UTF_8));
        bad.put("y.json", "{\"caption\": \"no video here\"}".getBytes(StandardCharsets.UTF_8));
        bad.put("z.mp4", h264);
        SampleShards.writeTar(dir.resolve("shards/00001.tar"), bad);
        // 00002: cut inside its second video
        Map<String, byte[]> cut = new LinkedHashMap<>();
        cut.put("a.mp4", h264);
        cut.put("b.mp4", h264);
        Path tar = dir.resolve("shards/00002.tar");
        SampleShards.writeTar(tar, cut);
        try (RandomAccessFile f = new RandomAccessFile(tar.toFile(), "rw")) {
            f.setLength(Files.size(tar) / 2 + 4000);
        }
        spark = SparkSession.builder().master("local[2]").appName("autogaze-wds-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static RunSummary run(JobOptions o) throws Exception {
        return new AutogazeJob(spark, o, ProcessorFactory.standard(), new PrintStream(new ByteArrayOutputStream()))
                .run(VideoListing.list(o, new Configuration()));
    }

    /** "video_id#clip" -> row. */
    private static Map<String, Row> byClip(String clipsPath) {
        Map<String, Row> m = new TreeMap<>();
        for (Row r : spark.read().parquet(clipsPath).collectAsList()) {
            m.put(r.getString(r.fieldIndex("video_id")) + "#" + r.getInt(r.fieldIndex("clip_index")), r);
        }
        return m;
    }

    @Test
    void shardSamplesGiveTheRowsOfTheirVideosAsFilesAndBadSamplesAreErrorRows() throws Exception {
        JobOptions shards = JobOptions.defaults(dir.resolve("shards/{00000..00002}.tar").toString(),
                dir.resolve("out-shards").toString()).withPartitions(2).withKeepColumns(List.of("caption", "txt",
                "frames"));
        RunSummary s = run(shards);
        RunSummary f = run(JobOptions.defaults(dir.resolve("videos").toString(), dir.resolve("out-files").toString())
                .withPartitions(2));
        Map<String, Row> fromShards = byClip(s.clipsPath());
        Map<String, Row> fromFiles = byClip(f.clipsPath());
        assertEquals(List.of("00000/000000000#0", "00000/000000000#1", "00000/000000000#2", "00000/000000001#0",
                        "00000/000000001#1", "00000/000000001#2", "00000/000000002#0", "00000/000000002#1",
                        "00000/000000002#2", "00001/z#0", "00001/z#1", "00001/z#2", "00002/a#0", "00002/a#1",
                        "00002/a#2"), List.copyOf(fromShards.keySet()));
        List<String> same = OutputSchema.clipColumns().stream()
                .filter(c -> !List.of("video_id", "source_path", "extra").contains(c)).toList();
        for (Map.Entry<String, Row> e : fromShards.entrySet()) {
            String id = e.getKey().substring(0, e.getKey().indexOf('#'));
            SampleVideos.Spec spec = written.samples().getOrDefault(id, SampleVideos.DEFAULT_SET.get(0));
            Row file = fromFiles.get(spec.fileName() + e.getKey().substring(e.getKey().indexOf('#')));
            for (String c : same) {
                assertEquals(String.valueOf(file.get(file.fieldIndex(c))), String.valueOf(e.getValue().get(
                        e.getValue().fieldIndex(c))), e.getKey() + " " + c);
            }
            assertEquals("file:" + dir.resolve("shards/" + id.substring(0, 5) + ".tar"),
                    e.getValue().getString(e.getValue().fieldIndex("source_path")));
        }
        Row first = fromShards.get("00000/000000001#2");
        Map<String, String> extra = first.getJavaMap(first.fieldIndex("extra"));
        assertEquals(List.of("caption", "txt", "frames"), List.copyOf(extra.keySet()));
        assertEquals("moving shapes over a texture, 224x224, VP9", extra.get("caption"));
        assertEquals(extra.get("caption"), extra.get("txt"));
        assertEquals("48", extra.get("frames"));

        Map<String, Row> errors = new TreeMap<>();
        for (Row r : spark.read().parquet(s.errorsPath()).collectAsList()) {
            errors.put(r.getString(r.fieldIndex("video_id")), r);
        }
        assertEquals(List.of("00001/x", "00001/y", "00002"), List.copyOf(errors.keySet()));
        assertEquals("OPEN", errors.get("00001/x").getString(errors.get("00001/x").fieldIndex("stage")));
        assertEquals("SHARD", errors.get("00001/y").getString(errors.get("00001/y").fieldIndex("stage")));
        assertTrue(errors.get("00001/y").getString(errors.get("00001/y").fieldIndex("message"))
                .endsWith("sample y has no video member (members: y.json)"));
        Row cut = errors.get("00002");
        assertEquals("SHARD", cut.getString(cut.fieldIndex("stage")));
        assertTrue(cut.getString(cut.fieldIndex("message")).contains("is truncated: member b.mp4 needs bytes"),
                cut.toString());
        assertEquals(Map.of("OPEN", 1L, "SHARD", 2L), s.errorsByStage());
    }
}
