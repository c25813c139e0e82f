package dev.autogaze.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autogaze.cli.AutogazeCli;
import dev.autogaze.io.ErrorRow;
import dev.autogaze.io.OutputCommits;
import dev.autogaze.io.OutputFolder;
import dev.autogaze.model.GazeOptions;
import dev.autogaze.model.PatchDiffGazeSource;
import dev.autogaze.testing.ClipColumns;
import dev.autogaze.testing.FailingFileSystem;
import dev.autogaze.testing.LiveFolders;
import dev.autogaze.video.DecodedClip;
import dev.autogaze.video.VideoRef;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the job does to an output folder that already holds rows, in Spark local mode with real Parquet: overwrite,
 * append, resume with the same and with another configuration, and resume after a wave that failed part way (a task
 * failed after another had committed; the errors write failed after the clips write). The clips are hand-made
 * ({@link TestClips}) so that each run costs little beyond Spark: decoding is ClipPipelineVideoTest's.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class WriteModesTest {

    static SparkSession spark;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("autogaze-write-modes")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
                .config("spark.hadoop.fs.file.impl", FailingFileSystem.class.getName())
                .config("spark.hadoop.fs.file.impl.disable.cache", "true").getOrCreate();
    }

    @AfterAll
    static void stop() {
        FailingFileSystem.failCreating(null);
        if (spark != null) {
            spark.stop();
        }
    }

    /** a: 3 clips, b: 2, f: 2 and then a decoding failure, c: 1. */
    static Map<String, List<DecodedClip>> videos() {
        Map<String, List<DecodedClip>> v = new LinkedHashMap<>();
        v.put("a", TestClips.clips("a", 3, 64, 48));
        v.put("b", TestClips.clips("b", 2, 48, 48));
        List<DecodedClip> f = new ArrayList<>(TestClips.clips("f", 2, 64, 64));
        f.add(null);
        v.put("f", f);
        v.put("c", TestClips.clips("c", 1, 32, 48));
        return v;
    }

    /** The job's pipeline over {@link #videos()} with patch-diff (built on the executor: nothing is captured). */
    static PartitionProcessor handMade(JobOptions o, String hash, JobCounters counters) {
        return ClipPipeline.processor(o, hash, PatchDiffGazeSource.defaults(), TestClips.opener(videos()), "cpu",
                counters, 2);
    }

    private static JobOptions options(String out) {
        return JobOptions.defaults("hand-made", dir.resolve(out).toString()).withPartitions(2)
                .withSampling(dev.autogaze.video.SamplingOptions.defaults().withClipLength(4)).withBatchSize(3);
    }

    private static RunSummary run(JobOptions o, ProcessorFactory factory, String... ids) throws IOException {
        List<VideoRef> refs = Arrays.stream(ids).map(id -> TestClips.task(id).toRef()).toList();
        return new AutogazeJob(spark, o, factory, new PrintStream(new ByteArrayOutputStream())).run(refs);
    }

    private static RunSummary run(JobOptions o, String... ids) throws IOException {
        return run(o, WriteModesTest::handMade, ids);
    }

    /** The published rows: clips "video#clip" -> every column (a clip twice fails), error rows sorted. */
    record Folder(Map<String, Map<String, Object>> clips, List<ErrorRow> errors, long clipRows) {

        static Folder read(JobOptions o) throws IOException {
            Map<String, Map<String, Object>> clips = new TreeMap<>();
            List<Row> rows = spark.read().parquet(o.output() + "/clips").collectAsList();
            for (Row r : rows) {
                Map<String, Object> c = ClipColumns.of(r);
                clips.put(c.get("video_id") + "#" + c.get("clip_index") + "@" + c.get("config_hash"), c);
            }
            List<ErrorRow> errors = new ArrayList<>(new OutputFolder(o.output(), new Configuration()).errors());
            errors.sort(java.util.Comparator.comparing(ErrorRow::videoId));
            return new Folder(clips, errors, rows.size());
        }
    }

    private static List<String> dataFiles(JobOptions o) throws IOException {
        try (Stream<Path> s = Files.walk(Path.of(o.output()))) {
            return s.filter(p -> p.toString().endsWith(".parquet")).map(Path::toString).sorted().toList();
        }
    }

    private static void assertNoLeftovers(JobOptions o) throws IOException {
        assertFalse(Files.exists(Path.of(o.output(), OutputCommits.STAGING_DIR)), "staging left in " + o.output());
    }

    @Test
    void overwriteReplacesEveryRowAndAppendAddsBesideThem() throws Exception {
        JobOptions o = options("modes");
        run(o, "a", "b", "f");
        Folder first = Folder.read(o);
        assertEquals(7, first.clipRows());
        List<String> firstFiles = dataFiles(o);

        RunSummary over = run(o.withMode(WriteMode.OVERWRITE), "c");
        Folder replaced = Folder.read(o);
        assertEquals(List.of("c#0@" + over.configHash()), List.copyOf(replaced.clips().keySet()));
        assertEquals(List.of(), replaced.errors(), "f's error row went with its clips");
        assertTrue(dataFiles(o).stream().noneMatch(firstFiles::contains), "a file of the first run is left");
        assertEquals(1, over.totals().clips());
        assertEquals(0, over.totals().errorRows());

        RunSummary appended = run(o.withMode(WriteMode.APPEND), "c", "f");
        Folder both = Folder.read(o);
        assertEquals(1 + 1 + 2, both.clipRows(), "c's row twice (append does not look), f's two clips");
        assertEquals(3, both.clips().size());
        assertEquals(List.of(new ErrorRow("/data/f.mp4", "f", "DECODE", "corrupt packet after clip 1", 2,
                appended.configHash())), both.errors());
        assertEquals(2, appended.videosProcessed());
        assertEquals(3, appended.clips(), "counts are the run's own");
        assertEquals(4, appended.totals().clips(), "totals are the folder's");
        assertEquals(2, appended.totals().videos());
        // inspect, which a user runs after an append, names the duplicate
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int code;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            code = AutogazeCli.commandLine().execute("inspect", o.output());
        } finally {
            System.setOut(saved);
        }
        String report = printed.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, report);
        assertTrue(report.contains("ERROR       1 duplicate clip rows (same video_id, clip_index and config_hash), e.g."
                + " c clip 0"), report);
    }

    @Test
    void aRelativeOutputFolderGetsTheRowsAnAbsoluteOneGets() throws Exception {
        // `--out out` as a user types it: relative to the working directory (here a path up to the test's folder)
        JobOptions absolute = options("absolute");
        String relative = Path.of("").toAbsolutePath().relativize(dir.resolve("relative")).toString();
        JobOptions o = JobOptions.defaults("hand-made", relative).withPartitions(2)
                .withSampling(dev.autogaze.video.SamplingOptions.defaults().withClipLength(4)).withBatchSize(3);
        assertFalse(Path.of(o.output()).isAbsolute(), o.output());
        run(absolute, "a", "b", "f");
        RunSummary summary = run(o, "a", "b", "f");
        assertEquals(7, summary.clips()); // a 3, b 2, f 2 before its decoding failure
        assertEquals(Folder.read(absolute), Folder.read(o));
        assertNoLeftovers(o);
    }

    @Test
    void resumeRefusesAFolderOfAnotherConfigurationAndLeavesItAsItWas() throws Exception {
        JobOptions o = options("other-hash");
        RunSummary first = run(o, "a", "b");
        List<String> files = dataFiles(o);
        String summary = Files.readString(Path.of(o.output(), "summary.json"));
        JobOptions other = o.withGaze(GazeOptions.defaults().withRatio(0.5f)).withMode(WriteMode.RESUME);
        String otherHash = ConfigHash.of(other);
        OutputConflictException e = assertThrows(OutputConflictException.class, () -> run(other, "a", "b", "c"));
        assertEquals("--mode resume: " + o.output() + " holds rows of another configuration (config_hash "
                + first.configHash() + "; this run's is " + otherHash + "), and a resume would mix the two; rerun with"
                + " that run's options, or use --mode overwrite to replace them, --mode append to keep both (told apart"
                + " by config_hash), or another --out", e.getMessage());
        assertEquals(files, dataFiles(o), "nothing written or removed");
        assertEquals(summary, Files.readString(Path.of(o.output(), "summary.json")));
        assertNoLeftovers(o);

        // the same configuration resumes; append is how two configurations share a folder on purpose
        RunSummary resumed = run(o.withMode(WriteMode.RESUME), "a", "b", "c");
        assertEquals(2, resumed.videosSkipped());
        assertEquals(1, resumed.videosProcessed());
        run(other.withMode(WriteMode.APPEND), "a");
        Folder mixed = Folder.read(o);
        assertEquals(3 + 2 + 1 + 3, mixed.clipRows());
        assertEquals(3, mixed.clips().keySet().stream().filter(k -> k.endsWith("@" + otherHash)).count());
    }

    /** Fails the task that holds {@code videoId} once another task of its wave has committed its clips. */
    static ProcessorFactory failingAfterAnotherTaskCommitted(String videoId) {
        return (o, hash, counters) -> {
            PartitionProcessor real = handMade(o, hash, counters);
            return (videos, sink) -> {
                if (videos.stream().anyMatch(v -> v.videoId().equals(videoId))) {
                    boolean seen = waitForCommittedTask(Path.of(o.output(), OutputCommits.STAGING_DIR));
                    throw new IllegalStateException("deliberate failure on " + videoId
                            + (seen ? " after another task committed" : " (no other task committed)"));
                }
                return real.start(videos, sink);
            };
        };
    }

    /** Waits for Spark's committed-task folder (clips/_temporary/0/task_*) under a wave of {@code staging}. */
    private static boolean waitForCommittedTask(Path staging) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (LiveFolders.anyMatch(staging, p -> p.getFileName().toString().startsWith("task_")
                    && p.getParent().getFileName().toString().equals("0"))) {
                return true;
            }
            ClipPipelineTest.sleep(20);
        }
        return false;
    }

    private static String causes(Throwable t) {
        StringBuilder chain = new StringBuilder();
        for (; t != null; t = t.getCause()) {
            chain.append(t.getMessage()).append(" | ");
        }
        return chain.toString();
    }

    @Test
    void aWaveWhoseTaskFailedAfterAnotherCommittedIsRedoneWholeByResume() throws Exception {
        Folder clean = Folder.read(withRun(options("clean-waves").withVideosPerCommit(2), "a", "b", "f", "c"));
        // waves [a, b] and [f, c], one task per video: c's task fails once f's task (rows and all) has committed
        JobOptions o = options("failed-wave").withVideosPerCommit(2);
        Exception failure = assertThrows(Exception.class,
                () -> run(o, failingAfterAnotherTaskCommitted("c"), "a", "b", "f", "c"));
        assertTrue(causes(failure).contains("deliberate failure on c after another task committed"),
                causes(failure));
        Folder partial = Folder.read(o);
        assertEquals(List.of("a", "b"), partial.clips().values().stream().map(c -> (String) c.get("video_id"))
                .distinct().toList(), "only the first wave is published; f's committed task is not");
        assertEquals(List.of(), partial.errors(), "f's error row was in the failed wave too");
        assertNoLeftovers(o);

        RunSummary resumed = run(o.withMode(WriteMode.RESUME), "a", "b", "f", "c");
        assertEquals(2, resumed.videosSkipped());
        assertEquals(2, resumed.videosProcessed());
        assertEqualFolders(clean, Folder.read(o));
        RunSummary again = run(o.withMode(WriteMode.RESUME), "a", "b", "f", "c");
        assertEquals(4, again.videosSkipped(), "f counts as done: it has its error row");
        assertEquals(0, again.videosProcessed());
        assertEqualFolders(clean, Folder.read(o));
    }

    @Test
    void aFailureBetweenAWavesClipsAndItsErrorsPublishesNeitherAndResumeWritesBoth() throws Exception {
        Folder clean = Folder.read(withRun(options("clean-window"), "a", "f"));
        JobOptions o = options("window");
        // the errors of a wave are written after its clips: fail there, with f's two clips already staged
        FailingFileSystem.failCreating("/" + OutputCommits.STAGING_DIR + "/wave-[^/]*/errors/.*\\.parquet$");
        try {
            Exception failure = assertThrows(Exception.class, () -> run(o, "a", "f"));
            assertTrue(causes(failure).contains("injected failure creating"), causes(failure));
        } finally {
            FailingFileSystem.failCreating(null);
        }
        assertFalse(Files.exists(Path.of(o.output(), "clips")), "no clips of the wave are visible");
        assertNoLeftovers(o);
        RunSummary resumed = run(o.withMode(WriteMode.RESUME), "a", "f");
        assertEquals(0, resumed.videosSkipped(), "f, whose error row was never written, is not done");
        assertEqualFolders(clean, Folder.read(o));
        JsonNode totals = new OutputFolder(o.output(), new Configuration()).summary().get("totals");
        assertEquals(5, totals.get("clips").asLong());
        assertEquals(1, totals.get("error_rows").asLong());
    }

    private static JobOptions withRun(JobOptions o, String... ids) throws IOException {
        run(o, ids);
        return o;
    }

    private static void assertEqualFolders(Folder expected, Folder actual) {
        assertEquals(expected.clips().keySet(), actual.clips().keySet());
        assertEquals(expected.clipRows(), actual.clipRows(), "each clip once");
        expected.clips().forEach((k, row) -> ClipColumns.assertSame(row, actual.clips().get(k), k));
        assertEquals(expected.errors(), actual.errors());
    }
}
