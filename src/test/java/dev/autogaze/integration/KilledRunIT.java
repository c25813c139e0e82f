package dev.autogaze.integration;

import dev.autogaze.cli.AutogazeCli;
import dev.autogaze.io.ErrorRow;
import dev.autogaze.io.OutputCommits;
import dev.autogaze.io.OutputFolder;
import dev.autogaze.job.AutogazeJob;
import dev.autogaze.job.JobOptions;
import dev.autogaze.job.ProcessorFactory;
import dev.autogaze.job.RunSummary;
import dev.autogaze.job.WriteMode;
import dev.autogaze.testing.ClipColumns;
import dev.autogaze.testing.LiveFolders;
import dev.autogaze.testing.WaitBudget;
import dev.autogaze.video.SampleVideos;
import dev.autogaze.video.VideoDataset;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Exactly-once output: a driver (a child JVM) killed at one point of a run, then `--mode resume` in this JVM, must
 * leave exactly the rows of a clean run, each once, equal in every column, and no leftovers. The kill points
 * cover the first wave, a later wave, Spark's job commit, the commit marker, the publish and the summary. Eight
 * items (six videos, two corrupt files) in three waves of three, two partitions.
 */
class KilledRunIT {

    static Path dir;
    static Path videos;
    static SparkSession spark;
    static Snapshot clean;

    /** What a finished output holds, comparable across runs: every column of every clip row. */
    record Snapshot(Map<String, Map<String, Object>> clips, List<String> errors, long totalClips, long totalErrors) {
    }

    /** How long a child run may take: a multiple of the clean run in this JVM (which includes Spark's start). */
    static WaitBudget childBudget;

    @BeforeAll
    static void setUp() throws Exception {
        dir = Files.createTempDirectory("autogaze-killed");
        videos = dir.resolve("videos");
        Files.createDirectories(videos);
        // Sorted ids put one corrupt file in each of the first two waves.
        String[] names = {"v0", "v1", "v2-corrupt", "v3", "v4-corrupt", "v5", "v6", "v7"};
        for (int i = 0; i < names.length; i++) {
            if (names[i].endsWith("corrupt")) {
                Files.writeString(videos.resolve(names[i] + ".mp4"), "not a video " + i);
            } else {
                SampleVideos.write(videos.resolve(names[i] + ".mp4"),
                        new SampleVideos.Spec(names[i], 96, 64, 20, 10, SampleVideos.Codec.H264, i));
            }
        }
        spark = SparkSession.builder().master("local[2]").appName("autogaze-killed-run-test")
                .config("spark.ui.enabled", "false").getOrCreate();
        Path out = dir.resolve("clean");
        childBudget = new WaitBudget("the clean run", WaitBudget.time(() -> run(out, WriteMode.OVERWRITE)).took(), 15,
                Duration.ofSeconds(120));
        clean = snapshot(out);
        assertEquals(12, clean.clips().size(), "6 videos x 2 clips");
        assertEquals(2, clean.errors().size());
    }

    @AfterAll
    static void tearDown() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static RunSummary run(Path out, WriteMode mode) throws Exception {
        JobOptions o = JobOptions.defaults(videos.toString(), out.toString()).withPartitions(2).withVideosPerCommit(3)
                .withBatchSize(2).withMode(mode);
        return new AutogazeJob(spark, o, ProcessorFactory.standard(), new PrintStream(new ByteArrayOutputStream()))
                .run(VideoDataset.load(o.input(), new Configuration()));
    }

    /** Clips keyed "video#clip" -> every column (a duplicate key fails), error rows, totals from summary.json. */
    private static Snapshot snapshot(Path out) throws Exception {
        Map<String, Map<String, Object>> clips = new TreeMap<>();
        for (Row r : spark.read().parquet(out.resolve("clips").toString()).collectAsList()) {
            Map<String, Object> row = ClipColumns.of(r);
            String key = row.get("video_id") + "#" + row.get("clip_index");
            if (clips.put(key, row) != null) {
                fail("clip " + key + " appears twice in " + out);
            }
        }
        OutputFolder folder = new OutputFolder(out.toString(), new Configuration());
        List<String> errors = new ArrayList<>();
        for (ErrorRow e : folder.errors()) {
            errors.add(e.videoId() + " " + e.stage() + " " + e.clipsWritten());
        }
        errors.sort(null);
        var totals = folder.summary().path("totals");
        return new Snapshot(clips, errors, totals.path("clips").asLong(-1), totals.path("error_rows").asLong(-1));
    }

    /** Runs {@link KilledRunDriver} in a child JVM; returns its exit status and output. */
    private static String[] child(Path out, List<String> properties, List<String> extraArgs, Path sentinel,
                                  Path waitFor) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("-Xmx")) {
                cmd.add(a);
            }
        }
        // A child lives seconds on tiny videos: C2's compiles cost it more CPU than they save (about half its CPU
        // time and a third of its wall time on two cores); the code it runs is the same.
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(properties);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), KilledRunDriver.class.getName(),
                videos.toString(), out.toString(), "2", "3"));
        cmd.addAll(extraArgs);
        Path log = Files.createTempFile(dir, "child", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (sentinel != null) {
            // The kill from outside: once the blocked task is waiting and the wave has a committed task.
            long deadline = System.nanoTime() + childBudget.limit().toNanos();
            while (!(Files.exists(sentinel) && exists(out, waitFor)) && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(p.isAlive(), "the child ended before it could be killed (or was not ready within "
                    + childBudget + "):\n" + Files.readString(log));
            p.destroyForcibly(); // SIGKILL
        }
        if (!p.waitFor(childBudget.limitSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the child run did not end in " + childBudget + ":\n" + Files.readString(log));
        }
        return new String[] {Integer.toString(p.exitValue()), Files.readString(log)};
    }

    /** True when some path under {@code root} matches {@code pattern} (e.g. "clips/_temporary/0/task_"). */
    private static boolean exists(Path root, Path pattern) {
        String want = pattern.toString();
        return LiveFolders.anyMatch(root, p -> p.toString().matches(want));
    }

    /** Kills a child run at the n-th file operation matching {@code match}, then resumes and compares. */
    private static void killAtThenResume(String name, String match, int nth, String expectedLeftover)
            throws Exception {
        Path out = dir.resolve(name);
        String[] r = child(out, List.of("-Dautogaze.crash.match=" + match, "-Dautogaze.crash.nth=" + nth), List.of(),
                null, null);
        assertEquals(Integer.toString(CrashingFileSystem.HALT_STATUS), r[0], "the crash point was not reached:\n" + r[1]);
        assertTrue(r[1].contains("CRASH POINT: halting before"), r[1]);
        assertLeftover(out, expectedLeftover);
        resumeAndCompare(out);
    }

    private static void assertLeftover(Path out, String expected) throws Exception {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        List<String> problems = new OutputCommits(fs, new org.apache.hadoop.fs.Path(out.toString())).problems();
        String all = String.join("\n", problems);
        assertTrue(expected == null ? problems.isEmpty() : all.contains(expected), "leftovers: " + all);
    }

    private static void resumeAndCompare(Path out) throws Exception {
        // in this JVM, so bounded here: a resume redoes at most the clean run's work
        assertTimeoutPreemptively(childBudget.limit(), () -> run(out, WriteMode.RESUME),
                () -> "the resume did not end in " + childBudget);
        Snapshot after = snapshot(out);
        assertEquals(clean.clips().keySet(), after.clips().keySet());
        clean.clips().forEach((k, row) -> ClipColumns.assertSame(row, after.clips().get(k), k + " after resume"));
        assertEquals(clean.errors(), after.errors());
        assertEquals(clean.totalClips(), after.totalClips(), "summary.json totals");
        assertEquals(clean.totalErrors(), after.totalErrors(), "summary.json totals");
        assertLeftover(out, null);
        try (Stream<Path> s = Files.walk(out)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().equals("_temporary")
                    || p.getFileName().toString().equals(OutputCommits.STAGING_DIR)), "leftovers under " + out);
        }
        PrintStream saved = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new AutogazeCli()).execute("inspect", out.toString());
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, code, printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void sigkillInTheFirstWaveWithOneTaskCommitted() throws Exception {
        Path out = dir.resolve("sigkill-first-wave");
        Path sentinel = dir.resolve("blocked");
        // Wave 1 [v0, v1, v2-corrupt] in two partitions: [v0] commits, [v1, v2-corrupt] blocks at v2-corrupt.
        String[] r = child(out, List.of(), List.of("v2-corrupt.mp4", sentinel.toString()), sentinel,
                Path.of(".*/_staging/wave-[^/]*-00001/clips/_temporary/0/task_[^/]*"));
        assertEquals("137", r[0], r[1]);
        assertLeftover(out, "an unfinished wave");
        resumeAndCompare(out);
    }

    @Test
    void killedInALaterWaveWithOneTaskCommitted() throws Exception {
        killAtThenResume("later-wave", "rename [^ ]*-00002/clips/_temporary/0/_temporary/attempt_[^ ]* -> ", 2,
                "an unfinished wave");
    }

    @Test
    void killedInsideSparksJobCommit() throws Exception {
        killAtThenResume("spark-job-commit", "rename [^ ]*-00002/clips/_temporary/0/task_[^/ ]*/part-[^ ]* -> ", 2,
                "an unfinished wave");
    }

    @Test
    void killedJustBeforeTheCommitMarker() throws Exception {
        killAtThenResume("commit-marker", "rename [^ ]*-00002/_COMMITTED.tmp -> ", 1, "an unfinished wave");
    }

    @Test
    void killedHalfwayThroughPublishing() throws Exception {
        // wave 2's error file and first clips file are published, its second clips file is not
        killAtThenResume("publish", "rename [^ ]*/_staging/wave-[^/ ]*-00002/clips/part-[^ ]* -> ", 2,
                "a committed wave not yet published");
    }

    @Test
    void killedWhileReplacingTheSummary() throws Exception {
        killAtThenResume("summary", "rename [^ ]*/_summary.json.tmp -> ", 1, null);
    }
}
