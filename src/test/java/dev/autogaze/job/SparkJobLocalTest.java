package dev.autogaze.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autogaze.io.OutputCommits;
import dev.autogaze.video.ClipStream;
import dev.autogaze.video.DecodedClip;
import dev.autogaze.video.SampleVideos;
import dev.autogaze.video.VideoDataset;
import dev.autogaze.video.VideoRef;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import dev.autogaze.model.GazeOptions;
import dev.autogaze.testing.ClipColumns;
import dev.autogaze.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job end to end in Spark local mode on generated videos with patch-diff: rows against the libraries called
 * directly, errors, split partitioning, summary, and resume after a deliberately failed wave (write modes and the
 * other resume cases: WriteModesTest). One session for all.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SparkJobLocalTest {

    static SparkSession spark;
    static Path dir;
    static Path manifest;
    static List<Path> samples;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("autogaze-job");
        samples = SampleVideos.writeDefaultSet(dir.resolve("videos"));
        Path corrupt = dir.resolve("videos/corrupt.mp4");
        Files.writeString(corrupt, "this is not a video container");
        manifest = dir.resolve("manifest.csv");
        StringBuilder csv = new StringBuilder("path,video_id,split,label\n");
        for (int i = 0; i < samples.size(); i++) {
            csv.append(samples.get(i)).append(",v").append(i).append(',').append(i == 1 ? "val" : "train")
                    .append(",L").append(i).append('\n');
        }
        csv.append(corrupt).append(",bad,train,L9\n");
        Files.writeString(manifest, csv);
        spark = SparkSession.builder().master("local[2]").appName("autogaze-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static JobOptions options(String out) {
        return JobOptions.defaults(manifest.toString(), dir.resolve(out).toString()).withPartitions(2);
    }

    private static RunSummary run(JobOptions o, ProcessorFactory f) throws Exception {
        List<VideoRef> videos = VideoDataset.load(o.input(), new Configuration());
        return new AutogazeJob(spark, o, f, new PrintStream(new ByteArrayOutputStream())).run(videos);
    }

    private static int[] ints(Row r, String column) {
        List<Object> l = r.getList(r.fieldIndex(column));
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Integer) l.get(i);
        }
        return out;
    }

    private static Map<String, Row> byClip(String clipsPath) {
        return TestClips.byClip(spark, clipsPath);
    }

    @Test
    void rowsEqualDecoderGazeSourceAndReadoutCalledDirectly() throws Exception {
        JobOptions o = options("direct");
        RunSummary s = run(o, ProcessorFactory.standard());
        Map<String, Row> rows = byClip(s.clipsPath());
        // 3 videos x 48 frames = 3 clips of 16 each; the corrupt file is an error.
        assertEquals(9, rows.size());
        assertEquals(9, s.clips());
        assertEquals(1, s.errorVideos());
        assertRowsEqualLibraries(o, rows);
        List<Row> errors = spark.read().parquet(s.errorsPath()).collectAsList();
        assertEquals(1, errors.size());
        Row e = errors.get(0);
        assertEquals("bad", e.getString(e.fieldIndex("video_id")));
        // a text file is no container FFmpeg knows: it fails to open, before any stream is probed
        assertEquals("OPEN", e.getString(e.fieldIndex("stage")), e.toString());
        assertTrue(e.getString(e.fieldIndex("message")).startsWith("FFmpeg cannot open it as a video container"),
                e.toString());
        assertEquals(0, e.getInt(e.fieldIndex("clips_written")));
        // Partitioned by split, zstd-compressed part files.
        assertTrue(Files.isDirectory(Path.of(o.output(), "clips", "split=train")));
        assertTrue(Files.isDirectory(Path.of(o.output(), "clips", "split=val")));
        try (Stream<Path> files = Files.walk(Path.of(o.output(), "clips"))) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().endsWith(".zstd.parquet")));
        }
        JsonNode summary = new ObjectMapper().readTree(Path.of(o.output(), "summary.json").toFile());
        JsonNode counts = summary.get("counts");
        assertEquals(4, counts.get("videos_processed").asInt());
        // the counters agree with the rows they count
        assertEquals(rows.size(), counts.get("clips").asInt());
        assertEquals(rows.values().stream().mapToLong(r -> r.getInt(r.fieldIndex("token_count"))).sum(),
                counts.get("tokens").asLong());
        assertEquals(rows.values().stream().mapToLong(r -> r.getInt(r.fieldIndex("real_gazes"))).sum(),
                counts.get("real_gazes").asLong());
        assertEquals(errors.size(), counts.get("error_rows").asInt());
        assertEquals(errors.size(), counts.get("videos_with_errors").asInt());
        assertEquals("{\"OPEN\":1}", counts.get("errors_by_stage").toString());
        assertEquals(ConfigHash.of(o), summary.get("config_hash").asText());
        assertEquals("patch-diff", summary.get("configuration").get("gaze_source").get("kind").asText());
        assertEquals("auto", summary.get("configuration").get("gaze_source").get("engine").asText());
    }

    @Test
    void rowsAndHashDoNotDependOnBatchSizeDecodersOrPartitioning() throws Exception {
        RunSummary one = run(options("b1").withBatchSize(1).withDecoders(1).withPartitions(1),
                ProcessorFactory.standard());
        RunSummary many = run(options("b16").withBatchSize(16).withDecoders(3).withPartitions(2),
                ProcessorFactory.standard());
        assertEquals(one.configHash(), many.configHash());
        // The summary still records how the run was batched.
        assertEquals(16, many.configuration().get("batch_size"));
        assertEquals(3, many.configuration().get("decoders"));
        Map<String, Row> a = byClip(one.clipsPath());
        Map<String, Row> b = byClip(many.clipsPath());
        assertEquals(9, a.size());
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            // every column, the list columns element by element
            assertEquals(a.get(k).toString(), b.get(k).toString(), k);
        }
        assertEquals(spark.read().parquet(one.errorsPath()).collectAsList().toString(),
                spark.read().parquet(many.errorsPath()).collectAsList().toString());
    }

    @Test
    void splitVideosAndClipBalancingGiveTheRowsOfUnsplitVideos() throws Exception {
        RunSummary plain = run(options("unsplit").withBalance(JobOptions.Balance.VIDEOS, 0), ProcessorFactory.standard());
        // every sample video (3 clips) is split into 3 one-clip ranges, run by different tasks
        RunSummary split = run(options("split").withPartitions(4).withBalance(JobOptions.Balance.CLIPS, 1),
                ProcessorFactory.standard());
        Map<String, Row> a = byClip(plain.clipsPath());
        Map<String, Row> b = byClip(split.clipsPath());
        assertEquals(9, a.size());
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertEquals(a.get(k).toString(), b.get(k).toString(), k);
        }
        assertEquals(spark.read().parquet(plain.errorsPath()).collectAsList().toString(),
                spark.read().parquet(split.errorsPath()).collectAsList().toString());
        assertEquals(plain.configHash(), split.configHash());
        JsonNode work = new ObjectMapper().readTree(Path.of(split.summaryPath().replace("file:", "")).toFile())
                .get("work");
        assertEquals(3, work.get("videos_split").asInt());
        assertEquals(3, work.get("videos_estimated").asInt()); // probed; the corrupt file has no estimate
        assertEquals(4, work.get("tasks").asInt());
        assertEquals(4, split.videosProcessed()); // a split video counts once
    }

    @Test
    void autogazeRowsEqualTheModelAndReadoutCalledDirectly() throws Exception {
        Path model = Fixtures.autogazeSet("nvidia-b1-t16").resolve("model");
        JobOptions o = options("autogaze").withGazeSource(GazeSourceSpec.autogaze(model.toString()))
                .withGaze(GazeOptions.defaults().withRatio(0.3f));
        RunSummary s = run(o, ProcessorFactory.standard());
        Map<String, Row> rows = byClip(s.clipsPath());
        assertEquals(9, rows.size());
        assertEquals(1, s.errorVideos());
        assertRowsEqualLibraries(o, rows);
        for (Row r : rows.values()) {
            float[] confidence = floats(r, "fix_confidence");
            assertTrue(confidence.length > 0);
            for (float c : confidence) {
                assertTrue(c > 0f && c <= 1f, "confidence " + c + " is not a probability");
            }
        }
    }

    @Test
    void aModelFromACacheRootRecordsItsSnapshotRevisionInTheSummary() throws Exception {
        // the fixture model laid out as a Hugging Face cache: blobs, a snapshot of links, refs/main
        Path fixture = Fixtures.autogazeSet("nvidia-b1-t16").resolve("model");
        Path repo = dir.resolve("hf-cache/hub/models--nvidia--AutoGaze");
        Path snap = Files.createDirectories(repo.resolve("snapshots/5eed0c0ffee"));
        Files.createDirectories(repo.resolve("blobs"));
        for (String name : new String[] {"config.json", "model.safetensors"}) {
            Path blob = Files.copy(fixture.resolve(name), repo.resolve("blobs/" + name));
            Files.createSymbolicLink(snap.resolve(name), Path.of("../../blobs/" + name));
            assertTrue(Files.isRegularFile(snap.resolve(name)), blob.toString());
        }
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), "5eed0c0ffee");
        JobOptions o = options("cache-model").withGazeSource(GazeSourceSpec.autogaze(dir.resolve("hf-cache")
                .toString())).withGaze(GazeOptions.defaults().withRatio(0.02f));
        RunSummary s = run(o, ProcessorFactory.standard());
        JsonNode summary = new ObjectMapper().readTree(Path.of(o.output(), "summary.json").toFile());
        assertEquals("5eed0c0ffee", summary.get("model").get("revision").asText());
        assertEquals(snap.toAbsolutePath().normalize().toString(), summary.get("model").get("folder").asText());
        assertEquals(9, s.clips());
        // an explicit model folder has no revision, and patch-diff runs name no model
        assertTrue(AutogazeJob.modelUsed(GazeSourceSpec.autogaze(fixture.toString())).get("revision") == null);
        assertEquals(null, AutogazeJob.modelUsed(GazeSourceSpec.patchDiff()));
    }

    private static float[] floats(Row r, String column) {
        List<Object> l = r.getList(r.fieldIndex(column));
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Float) l.get(i);
        }
        return out;
    }

    /**
     * Every clip row of the manifest's sample videos equals, column by column, what the video, gaze-source and
     * readout libraries give when called directly on that clip alone (B = 1). Works for any gaze source spec in
     * {@code o}: for the AutoGaze fixture model, run the job with {@code o.withGazeSource(GazeSourceSpec.autogaze(fixture))}.
     */
    static void assertRowsEqualLibraries(JobOptions o, Map<String, Row> rows) throws Exception {
        dev.autogaze.model.GazeSource source = GazeSources.open(o.gazeSource());
        String hash = ConfigHash.of(o);
        int compared = 0;
        for (int v = 0; v < samples.size(); v++) {
            // as the manifest lists it: id, path, split and the extra column
            VideoRef ref = new VideoRef("v" + v, samples.get(v).toString(), null, null, v == 1 ? "val" : "train",
                    Map.of("label", "L" + v));
            List<DecodedClip> clips = new ArrayList<>();
            try (ClipStream stream = ClipStream.open(ref, samples.get(v), o.sampling())) {
                for (DecodedClip c = stream.next(); c != null; c = stream.next()) {
                    clips.add(c);
                }
            }
            assertEquals(3, clips.size());
            for (DecodedClip clip : clips) {
                String key = "v" + v + "#" + clip.clipIndex();
                ClipColumns.assertSame(ClipColumns.expected(o, hash, source, ref, clip, "cpu"),
                        ClipColumns.of(rows.get(key)), key);
                compared++;
            }
        }
        assertEquals(rows.size(), compared, "every row of the output was compared");
    }

    /** The standard processor, except that the task reaching {@code videoId} fails (a bug, not an error row). */
    private static ProcessorFactory failingOn(String videoId) {
        return (opts, hash, counters) -> {
            PartitionProcessor real = ProcessorFactory.standard().create(opts, hash, counters);
            return (videos, sink) -> {
                if (videos.stream().anyMatch(v -> v.videoId().equals(videoId))) {
                    throw new IllegalStateException("deliberate failure on " + videoId);
                }
                return real.start(videos, sink);
            };
        };
    }

    @Test
    void resumeAfterAFailedFirstWaveStartsCleanly() throws Exception {
        JobOptions o = options("first-wave").withVideosPerCommit(2).withBatchSize(4);
        assertThrows(Exception.class, () -> run(o, failingOn("v1")));
        // The failed wave left nothing a reader or a resume would take for output.
        assertFalse(Files.exists(Path.of(o.output(), "clips")));
        assertFalse(Files.exists(Path.of(o.output(), OutputCommits.STAGING_DIR)));

        RunSummary resumed = run(o.withMode(WriteMode.RESUME), ProcessorFactory.standard());
        assertEquals(0, resumed.videosSkipped());
        assertEquals(4, resumed.videosProcessed());
        Map<String, Row> rows = byClip(resumed.clipsPath());
        assertEquals(9, rows.size());
        assertRowsEqualLibraries(o, rows);
        assertEquals(9, resumed.totals().clips());
        assertEquals(1, resumed.totals().errorRows());
    }

    @Test
    void summaryTotalsCountTheWholeFolderAfterAResume() throws Exception {
        JobOptions o = options("totals").withVideosPerCommit(1).withBatchSize(4);
        assertThrows(Exception.class, () -> run(o, failingOn("v2")));
        RunSummary resumed = run(o.withMode(WriteMode.RESUME), ProcessorFactory.standard());
        // v0, v1 were published before the failure; this run did v2 and the corrupt file.
        assertEquals(3, resumed.clips());
        assertEquals(9, resumed.totals().clips());
        assertEquals(3, resumed.totals().videos());
        JsonNode summary = new ObjectMapper().readTree(Path.of(o.output(), "summary.json").toFile());
        assertEquals(3, summary.get("counts").get("clips").asInt());
        assertEquals(9, summary.get("totals").get("clips").asInt());
        assertEquals(1, summary.get("totals").get("error_rows").asInt());
        long tokens = 0;
        for (Row r : spark.read().parquet(resumed.clipsPath()).collectAsList()) {
            tokens += r.getInt(r.fieldIndex("token_count"));
        }
        assertEquals(tokens, summary.get("totals").get("tokens").asLong());
    }
}
