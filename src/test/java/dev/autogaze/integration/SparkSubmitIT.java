package dev.autogaze.integration;

import dev.autogaze.job.JobOptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.autogaze.job.ConfigHash;
import dev.autogaze.testing.ClipColumns;
import dev.autogaze.testing.LiveFolders;
import dev.autogaze.testing.WaitBudget;
import dev.autogaze.video.VideoDataset;
import org.apache.hadoop.conf.Configuration;
import dev.autogaze.job.GazeSourceSpec;
import dev.autogaze.model.AutoGazeGazeSource;
import dev.autogaze.model.AutoGazeModel;
import dev.autogaze.model.GazeOptions;
import dev.autogaze.model.GazeSource;
import dev.autogaze.model.PatchDiffGazeSource;
import dev.autogaze.testing.Fixtures;
import dev.autogaze.video.ClipStream;
import dev.autogaze.video.DecodedClip;
import dev.autogaze.video.SampleVideos;
import dev.autogaze.video.VideoRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The shaded jar through a real spark-submit (the pyspark distribution) to a standalone master and worker started on
 * loopback. The worker discovers two fake GPUs with a discovery script, so one submission exercises Spark's
 * GPU scheduling: every task must see an address the worker handed out. Output is read back with pyarrow.
 * (Its own package so that `-Dtest=dev.autogaze.job.**` under surefire does not pick it up.)
 */
class SparkSubmitIT {

    /** What the worker's discovery script reports: a MIG instance (by UUID) and a GPU by ordinal. */
    private static final String DAEMON_OPTS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";
    private static final List<String> FAKE_GPUS = List.of("MIG-9e00aa11-2222-3333-4444-555566667777", "7");

    static Path sparkHome;
    static Path appJar;
    static Path dir;
    static Path videos;
    static List<Path> samples;
    /** A folder with one 16-frame video (one clip): the AutoGaze test's input, whose point is not the data. */
    static Path oneClip;
    static Process master;
    static Process worker;
    static int masterPort;
    static int masterUi;
    /** How long the worker may take to register, and a submission to finish (see {@link WaitBudget}). */
    static WaitBudget registration;
    static WaitBudget submission;

    @BeforeAll
    static void startCluster() throws Exception {
        String jar = System.getProperty("autogaze.appJar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            fail("the shaded app jar is missing (system property autogaze.appJar = " + jar + "); run `mvn verify`");
        }
        appJar = Path.of(jar);
        sparkHome = Path.of(run(List.of("python3", "-c", "import os, pyspark; print(os.path.dirname(pyspark.__file__))"),
                null, 60, "pyspark is not installed (pip install pyspark==3.5.9)").strip());
        run(List.of("python3", "-c", "import pyarrow"), null, 60, "pyarrow is not installed (pip install pyarrow)");
        // Every later wait is a multiple of how long a Spark JVM takes to start here, now.
        Duration start = WaitBudget.time(() -> run(List.of(sparkHome.resolve("bin/spark-submit").toString(),
                "--version"), Map.of("SPARK_LOCAL_IP", "127.0.0.1"), 600, "spark-submit --version failed")).took();
        registration = new WaitBudget("spark-submit --version", start, 40, Duration.ofSeconds(60));
        submission = new WaitBudget("spark-submit --version", start, 150, Duration.ofSeconds(300));
        dir = Files.createTempDirectory("autogaze-submit");
        videos = dir.resolve("videos");
        samples = SampleVideos.writeDefaultSet(videos);
        oneClip = Files.createDirectories(dir.resolve("one-clip"));
        SampleVideos.write(oneClip.resolve("one.mp4"), new SampleVideos.Spec("one", 320, 240, 16, 24,
                SampleVideos.Codec.H264, 7));
        Path script = dir.resolve("fake-gpus.sh");
        Files.writeString(script, "#!/usr/bin/env bash\necho '{\"name\": \"gpu\", \"addresses\": [\""
                + String.join("\", \"", FAKE_GPUS) + "\"]}'\n");
        script.toFile().setExecutable(true);

        masterPort = freePort();
        masterUi = freePort();
        ProcessBuilder m = new ProcessBuilder(sparkHome.resolve("bin/spark-class").toString(),
                "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", "" + masterPort,
                "--webui-port", "" + masterUi);
        m.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        // the daemons pass messages and launch executors: C1 compiles what they run for a fraction of C2's CPU
        m.environment().put("SPARK_DAEMON_JAVA_OPTS", DAEMON_OPTS);
        master = m.redirectErrorStream(true).redirectOutput(dir.resolve("master.log").toFile()).start();
        ProcessBuilder w = new ProcessBuilder(sparkHome.resolve("bin/spark-class").toString(),
                "org.apache.spark.deploy.worker.Worker", "spark://127.0.0.1:" + masterPort, "--host", "127.0.0.1",
                "--cores", "2", "--memory", "2g", "--webui-port", "" + freePort(), "--work-dir",
                dir.resolve("work").toString());
        w.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        w.environment().put("SPARK_DAEMON_JAVA_OPTS", DAEMON_OPTS);
        w.environment().put("SPARK_WORKER_OPTS", "-Dspark.worker.resource.gpu.amount=" + FAKE_GPUS.size()
                + " -Dspark.worker.resource.gpu.discoveryScript=" + script);
        worker = w.redirectErrorStream(true).redirectOutput(dir.resolve("worker.log").toFile()).start();
        awaitWorker();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (Process p : new Process[] {worker, master}) {
            if (p != null) {
                p.destroy();
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Polls the master's JSON status until the worker has registered (or fails with both logs). */
    private static void awaitWorker() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + registration.limit().toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUi + "/json/"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                if (new ObjectMapper().readTree(body).path("aliveworkers").asInt() >= 1) {
                    return;
                }
            } catch (IOException e) {
                // master not up yet
            }
            Thread.sleep(500);
        }
        fail("standalone worker did not register within " + registration + "\nmaster log:\n" + Files.readString(dir.resolve("master.log"))
                + "\nworker log:\n" + Files.readString(dir.resolve("worker.log")));
    }

    /** Runs a command to completion; a non-zero exit fails the test with its output. */
    private static String run(List<String> command, Map<String, String> env, long timeoutSec, String whatIfMissing)
            throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (env != null) {
            pb.environment().putAll(env);
        }
        Path log = Files.createTempFile("autogaze-cmd", ".log");
        Process p = pb.redirectOutput(log.toFile()).start();
        if (!p.waitFor(timeoutSec, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish in " + timeoutSec + " s:\n" + Files.readString(log));
        }
        String out = Files.readString(log);
        if (p.exitValue() != 0) {
            fail(whatIfMissing + "\n" + String.join(" ", command) + " exited " + p.exitValue() + ":\n" + out);
        }
        return out;
    }

    /** Submits the shaded jar with patch-diff; {@code conf} entries are extra `--conf` settings. */
    private static String submit(String out, String... conf) throws Exception {
        return submit(out, List.of("--gaze-source", "patch-diff"), conf);
    }

    private static String submit(String out, List<String> gazeArgs, String... conf) throws Exception {
        return submit(out, videos, gazeArgs, conf);
    }

    private static String submit(String out, Path input, List<String> gazeArgs, String... conf) throws Exception {
        return run(submitCommand(out, input, gazeArgs, conf), Map.of("SPARK_LOCAL_IP", "127.0.0.1"),
                submission.limitSeconds(), "spark-submit failed");
    }

    private static List<String> submitCommand(String out, Path input, List<String> jobArgs, String... conf) {
        List<String> cmd = new ArrayList<>(List.of(sparkHome.resolve("bin/spark-submit").toString(),
                "--master", "spark://127.0.0.1:" + masterPort, "--class", "dev.autogaze.cli.SubmitMain",
                "--driver-memory", "1g", "--executor-memory", "1500m", "--conf", "spark.ui.enabled=false",
                // The decoder's SIMD kernels (a scalar fallback would run without it, 9x slower). Patch-diff runs
                // on these few small clips take seconds: there C2's compiles cost the executor more than they save.
                "--conf", "spark.executor.extraJavaOptions=--add-modules=jdk.incubator.vector"
                        + (jobArgs.contains("patch-diff") ? " -XX:TieredStopAtLevel=1" : ""),
                // The driver only plans and schedules, for seconds: C2's compiles would cost more CPU than they save.
                "--conf", "spark.driver.extraJavaOptions=--add-modules=jdk.incubator.vector -XX:TieredStopAtLevel=1"));
        for (String c : conf) {
            cmd.add("--conf");
            cmd.add(c);
        }
        cmd.addAll(List.of(appJar.toString(), "--input", input.toString(), "--out", dir.resolve(out).toString(),
                "--partitions", "3"));
        cmd.addAll(jobArgs);
        return cmd;
    }

    /** (video_id#clip) -> every column, read with pyarrow (checking the list columns' Arrow types). */
    private static Map<String, JsonNode> readWithPyarrow(String out) throws Exception {
        String script = String.join("\n",
                "import json, sys, pyarrow as pa, pyarrow.parquet as pq",
                "t = pq.read_table(sys.argv[1])",
                "for c in ['coords_t', 'coords_row', 'coords_col', 'token_index', 'fix_id']:",
                "    assert t.schema.field(c).type.value_type == pa.int32(), (c, t.schema.field(c).type)",
                "for r in t.to_pylist():",
                "    print(json.dumps(r))");
        String printed = run(List.of("python3", "-c", script, dir.resolve(out).resolve("clips").toString()), null,
                registration.limitSeconds(), "pyarrow could not read the clips table");
        Map<String, JsonNode> rows = new TreeMap<>();
        // fix_confidence is NaN for patch-diff; json.dumps writes it as NaN
        ObjectMapper json = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
        for (String line : printed.strip().split("\n")) {
            JsonNode n = json.readTree(line);
            String key = n.get("video_id").asText() + "#" + n.get("clip_index").asInt();
            if (rows.put(key, n) != null) {
                fail("clip " + key + " appears twice in " + out);
            }
        }
        return rows;
    }

    @Test
    void submittedJobWritesTheRowsTheLibrariesComputeDirectly() throws Exception {
        String log = submit("cpu");
        assertTrue(log.contains("clips:   9 rows"), log);
        Map<String, JsonNode> rows = readWithPyarrow("cpu");
        assertEquals(9, rows.size(), rows.keySet().toString());
        assertRowsEqualLibraries(rows, videos, JobOptions.defaults(videos.toString(), "unused"),
                PatchDiffGazeSource.defaults());
    }

    /**
     * One clip (not the 9 of the three samples): the point is that the model loads and runs on executors, and each
     * clip costs about a second of model time twice over (on the executor and here).
     */
    @Test
    void submittedJobRunsTheAutoGazeModelOnExecutors() throws Exception {
        Path model = Fixtures.autogazeSet("nvidia-b1-t16").resolve("model");
        String log = submit("autogaze", oneClip, List.of("--gaze-source", "autogaze", "--model", model.toString(),
                "--gazing-ratio", "0.3"));
        assertTrue(log.contains("clips:   1 rows"), log);
        Map<String, JsonNode> rows = readWithPyarrow("autogaze");
        assertEquals(1, rows.size(), rows.keySet().toString());
        JobOptions o = JobOptions.defaults(oneClip.toString(), "unused").withGazeSource(GazeSourceSpec.autogaze(
                model.toString())).withGaze(GazeOptions.defaults().withRatio(0.3f));
        try (AutoGazeGazeSource source = new AutoGazeGazeSource(AutoGazeModel.load(model))) {
            assertRowsEqualLibraries(rows, oneClip, o, source);
        }
        rows.values().forEach(r -> assertEquals("autogaze", r.get("gaze_source").asText(), r.toString()));
    }

    /**
     * Every row read back equals, column by column, what the video, gaze-source and readout libraries give called
     * directly on the same clips of {@code input}, each alone (what the job writes whatever it batched together), and
     * there is no other row.
     */
    private static void assertRowsEqualLibraries(Map<String, JsonNode> rows, Path input, JobOptions o,
                                                 GazeSource source) throws Exception {
        String hash = ConfigHash.of(o);
        int compared = 0;
        for (VideoRef ref : VideoDataset.load(input.toString(), new Configuration())) {
            List<DecodedClip> clips = new ArrayList<>();
            try (ClipStream s = ClipStream.open(ref, Path.of(java.net.URI.create(ref.path()).getPath()),
                    o.sampling())) {
                for (DecodedClip c = s.next(); c != null; c = s.next()) {
                    clips.add(c);
                }
            }
            for (DecodedClip clip : clips) {
                String key = ref.videoId() + "#" + clip.clipIndex();
                JsonNode r = rows.get(key);
                assertTrue(r != null, key + " missing from " + rows.keySet());
                ClipColumns.assertSame(ClipColumns.expected(o, hash, source, ref, clip, "cpu"), ClipColumns.of(r), key);
                compared++;
            }
        }
        assertEquals(compared, rows.size(), "rows that no clip of " + input + " accounts for: " + rows.keySet());
    }

    /**
     * Tasks given both of the worker's GPUs (a MIG instance's UUID and an ordinal) write the first address Spark
     * lists for them: one device, the same for every task (which of the two is Spark's order; TaskDevice takes the
     * first, GpuAddressTest pins that without Spark).
     */
    @Test
    void gpuTasksSeeTheAddressTheWorkerDiscovered() throws Exception {
        submit("gpu", "spark.executor.resource.gpu.amount=2", "spark.task.resource.gpu.amount=2");
        Map<String, JsonNode> rows = readWithPyarrow("gpu");
        assertEquals(9, rows.size());
        Set<String> devices = new TreeSet<>();
        rows.values().forEach(r -> devices.add(r.get("device").asText()));
        assertEquals(1, devices.size(), "one device for every task: " + devices);
        assertTrue(FAKE_GPUS.stream().anyMatch(g -> devices.contains("gpu:" + g)), devices + " vs " + FAKE_GPUS);
    }

    /**
     * An executor SIGKILLed while a wave's tasks run (one committed, others running or waiting): Spark reruns the
     * lost tasks on a new executor and the output equals a run without the kill, each clip once. A run without the
     * kill writes what the libraries give called directly (submittedJobWritesTheRowsTheLibrariesComputeDirectly), so
     * the rows are compared with those, column by column, rather than with a second, clean submission.
     */
    @Test
    void killingAnExecutorMidWaveChangesNoRow() throws Exception {
        Path input = Files.createDirectories(dir.resolve("many"));
        for (int i = 0; i < 8; i++) {
            SampleVideos.write(input.resolve("m" + i + ".mp4"),
                    new SampleVideos.Spec("m" + i, 160, 96, 48, 24, SampleVideos.Codec.H264, 20 + i));
        }
        List<String> args = List.of("--gaze-source", "patch-diff", "--videos-per-commit", "4");

        Path out = dir.resolve("exec-killed");
        Path log = dir.resolve("exec-killed.log");
        ProcessBuilder pb = new ProcessBuilder(submitCommand("exec-killed", input, args)).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process submit = pb.start();
        long deadline = System.nanoTime() + submission.limit().toNanos();
        ProcessHandle executor = null;
        while (executor == null && submit.isAlive() && System.nanoTime() < deadline) {
            if (committedTask(out)) {
                executor = ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("")
                        .contains("CoarseGrainedExecutorBackend")).findFirst().orElse(null);
            }
            Thread.sleep(50);
        }
        assertTrue(executor != null, "no committed task and running executor seen:\n" + Files.readString(log));
        assertTrue(executor.destroyForcibly(), "SIGKILL to executor " + executor.pid());
        assertTrue(submit.waitFor(submission.limitSeconds(), TimeUnit.SECONDS), "spark-submit did not end in "
                + submission);
        String driverLog = Files.readString(log);
        assertEquals(0, submit.exitValue(), driverLog);
        // Spark logs the loss itself ("Lost executor N on host") and, for a task that was running there, an
        // ExecutorLostFailure; which lines appear depends on what the executor held when killed, and either one
        // shows the kill landed during the job (the rows below show it cost nothing).
        assertTrue(driverLog.contains("Lost executor") || driverLog.contains("ExecutorLostFailure"),
                "the driver did not notice the kill:\n" + driverLog);
        Map<String, JsonNode> after = readWithPyarrow("exec-killed");
        assertEquals(24, after.size(), after.keySet().toString());
        assertRowsEqualLibraries(after, input, JobOptions.defaults(input.toString(), "unused").withVideosPerCommit(4),
                PatchDiffGazeSource.defaults());
    }

    /** True when some wave under OUT/_staging has a committed task (Spark's _temporary/0/task_* folder). */
    private static boolean committedTask(Path out) {
        return LiveFolders.anyMatch(out.resolve("_staging"), p -> p.getFileName().toString().startsWith("task_"));
    }
}
