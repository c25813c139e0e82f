package dev.autogaze.job;

import dev.autogaze.io.OutputSchema;
import dev.autogaze.video.SampleShards;
import dev.autogaze.video.SampleVideos;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
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
 * The job over videos held inside other files, in Spark local mode: WebDataset shards and a Parquet table of video
 * bytes give the rows their videos give as plain files, kept columns land in every row, and a corrupt member, a
 * sample without a video, a cut shard and a null cell are error rows while the other videos come through.
 */
class EmbeddedVideoJobTest {

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
        // a table of the same videos: video_id, the bytes, a label; one row without bytes
        MessageType schema = MessageTypeParser.parseMessageType("message t { required binary video_id (UTF8);"
                + " optional binary video; optional int32 label; }");
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(
                dir.resolve("table/part-0.parquet").toUri())).withType(schema).build()) {
            for (int i = 0; i < files.size(); i++) {
                w.write(groups.newGroup().append("video_id", files.get(i).getFileName().toString())
                        .append("video", Binary.fromConstantByteArray(Files.readAllBytes(files.get(i))))
                        .append("label", 10 + i));
            }
            w.write(groups.newGroup().append("video_id", "empty").append("label", 99));
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

    private static Map<String, Row> byClip(String clipsPath) {
        return TestClips.byClip(spark, clipsPath);
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
                // config_hash differs by the kept columns, which the file run cannot name
                .filter(c -> !List.of("video_id", "source_path", "extra", "config_hash").contains(c)).toList();
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
        // and as typed columns after the fixed ones: JSON numbers are longs, text is text
        org.apache.spark.sql.types.StructType schema = spark.read().parquet(s.clipsPath()).schema();
        assertEquals(org.apache.spark.sql.types.DataTypes.LongType, schema.apply("frames").dataType());
        assertEquals(org.apache.spark.sql.types.DataTypes.StringType, schema.apply("caption").dataType());
        assertEquals(48L, first.getLong(first.fieldIndex("frames")));
        assertEquals(extra.get("txt"), first.getString(first.fieldIndex("txt")));

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

    @Test
    void tableRowsGiveTheRowsOfTheirVideosAsFiles() throws Exception {
        RunSummary s = run(JobOptions.defaults(dir.resolve("table").toString(), dir.resolve("out-table").toString())
                .withPartitions(2).withVideoColumn("video").withKeepColumns(List.of("label")));
        RunSummary f = run(JobOptions.defaults(dir.resolve("videos").toString(), dir.resolve("out-files2").toString())
                .withPartitions(2));
        Map<String, Row> fromTable = byClip(s.clipsPath());
        Map<String, Row> fromFiles = byClip(f.clipsPath());
        assertEquals(fromFiles.keySet(), fromTable.keySet());
        List<String> same = OutputSchema.clipColumns().stream()
                // config_hash differs by the kept columns, which the file run cannot name
                .filter(c -> !List.of("source_path", "extra", "config_hash").contains(c)).toList();
        for (Map.Entry<String, Row> e : fromTable.entrySet()) {
            Row file = fromFiles.get(e.getKey());
            for (String c : same) {
                assertEquals(String.valueOf(file.get(file.fieldIndex(c))), String.valueOf(e.getValue().get(
                        e.getValue().fieldIndex(c))), e.getKey() + " " + c);
            }
        }
        Row r = fromTable.get("shapes_224x224_vp9.webm#0");
        assertEquals(Map.of("label", "11"), r.getJavaMap(r.fieldIndex("extra")));
        assertEquals(11, r.getInt(r.fieldIndex("label"))); // int32 in the table, int32 in the output
        List<Row> errors = spark.read().parquet(s.errorsPath()).collectAsList();
        assertEquals(1, errors.size());
        assertEquals("empty", errors.get(0).getString(errors.get(0).fieldIndex("video_id")));
        assertTrue(errors.get(0).getString(errors.get(0).fieldIndex("message")).contains("video is null in row 3"),
                errors.get(0).toString());
    }
}
