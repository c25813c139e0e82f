package dev.autogaze.cli;

import dev.autogaze.job.GazeSourceSpec;
import dev.autogaze.job.JobOptions;
import dev.autogaze.job.WriteMode;
import dev.autogaze.model.AutoGazeModel;
import dev.autogaze.model.ModelLocator;
import dev.autogaze.model.ResolutionTarget;
import dev.autogaze.readout.CellToTokenRule;
import dev.autogaze.readout.Priority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunCommandTest {

    @TempDir
    Path tmp;

    private static RunCommand parse(String... args) {
        return parse(new ModelLocator(Map.of(), Path.of("/nonexistent-home")), args);
    }

    /** Parsed with a locator over a fake environment, so the machine's own Hugging Face cache plays no part. */
    private static RunCommand parse(ModelLocator locator, String... args) {
        RunCommand cmd = new RunCommand();
        cmd.locator = locator;
        new CommandLine(cmd).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return cmd;
    }

    @Test
    void flagsBecomeJobOptions() {
        JobOptions o = parse("--input", "/v", "--out", "/o", "--mode", "resume", "--gaze-source", "patch-diff",
                "--patch-diff-threshold", "5", "--gazing-ratio-each-frame", "0.1,0.2,0.3,0.4", "--clip-length", "4",
                "--fps", "2", "--frame-height", "448", "--frame-width", "320", "--tubelet", "4", "--patch", "32",
                "--cell-rule", "min-fraction:0.5", "--priority", "confidence", "--dilation", "1",
                "--per-bin-budget", "30", "-b", "8", "--decoders", "3", "--partitions", "6", "--videos-per-commit", "50",
                "--max-frames-per-video", "9000").toOptions();
        assertEquals(9000, o.sampling().maxFramesPerVideo());
        assertEquals(WriteMode.RESUME, o.mode());
        assertEquals(GazeSourceSpec.patchDiff(5f), o.gazeSource());
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, o.gaze().gazingRatioEachFrame());
        assertEquals(4, o.sampling().clipLength());
        assertEquals(2.0, o.sampling().targetFps());
        assertEquals(1, o.geometry().bins());
        assertEquals(14, o.geometry().rows());
        assertEquals(10, o.geometry().cols());
        assertEquals(CellToTokenRule.minFraction(0.5), o.readout().rule());
        assertEquals(Priority.CONFIDENCE, o.readout().priority());
        assertEquals(30, o.videoTokens().perBinBudget());
        assertEquals(8, o.batchSize());
        assertEquals(3, o.decoders());
        assertEquals(6, o.partitions());
        assertEquals(50, o.videosPerCommit());
    }

    @Test
    void badFlagsAreRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse("--input", "/v", "--out", "/o", "--mode", "sometimes").toOptions());
        assertEquals("--mode sometimes is unknown; use overwrite, append or resume", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> parse("--input", "/v", "--out", "/o", "--cell-rule", "min-fraction:x").toOptions());
        assertEquals("--cell-rule min-fraction:x: the fraction is not a number", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> parse("--input", "/v", "--out", "/o", "--gaze-source", "autogaze").toOptions());
        assertTrue(e.getMessage().startsWith("autogaze without --model: no AutoGaze model found for nvidia/AutoGaze;"
                + " looked in /nonexistent-home/.cache/huggingface/hub/models--nvidia--AutoGaze"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse("--input", "/v", "--out", "/o", "--gaze-source",
                "autogaze", "--model", "/m", "--engine", "gpu").toOptions());
        assertEquals("--engine gpu is unknown; use jvm, nd4j, cuda or auto", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse("--input", "/v", "--out", "/o", "--gaze-source",
                "autogaze", "--model", "/m", "--cuda-lanes", "0").toOptions());
        assertEquals("--cuda-lanes 0 must be in 1..8", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse("--input", "/v", "--out", "/o", "--gaze-source",
                "patch-diff", "--cuda-lanes", "2").toOptions());
        assertEquals("--cuda-lanes 2 was given but the gaze source is patch-diff, which has no decoder", e.getMessage());
    }

    @Test
    void cudaLanesFlagReachesTheAutogazeSpec() {
        assertEquals(4, parse("--input", "/v", "--out", "/o", "--gaze-source", "autogaze", "--model", "/m",
                "--cuda-lanes", "4").toOptions().gazeSource().cudaLanes());
        assertEquals(AutoGazeModel.DEFAULT_CUDA_LANES, parse("--input", "/v", "--out", "/o", "--gaze-source",
                "autogaze", "--model", "/m").toOptions().gazeSource().cudaLanes());
    }

    @Test
    void targetFlagsGiveTheAutogazeSpecItsResolutionTarget() {
        JobOptions o = parse("--input", "/v", "--out", "/o", "--gaze-source", "autogaze", "--model", "/m",
                "--target-scales", "56, 112,196,392", "--target-patch", "14").toOptions();
        assertEquals(new ResolutionTarget(new int[] {56, 112, 196, 392}, 14), o.gazeSource().target());
        assertEquals(null, parse("--input", "/v", "--out", "/o", "--gaze-source", "autogaze", "--model", "/m")
                .toOptions().gazeSource().target());
    }

    @Test
    void badTargetFlagsAreRejectedByName() {
        String[] autogaze = {"--input", "/v", "--out", "/o", "--gaze-source", "autogaze", "--model", "/m"};
        assertEquals("--target-scales 56,112,196,392 needs --target-patch", assertThrows(IllegalArgumentException.class,
                () -> parse(concat(autogaze, "--target-scales", "56,112,196,392")).toOptions()).getMessage());
        assertEquals("--target-patch 14 needs --target-scales", assertThrows(IllegalArgumentException.class,
                () -> parse(concat(autogaze, "--target-patch", "14")).toOptions()).getMessage());
        assertEquals("target scale 100 is not divisible by target patch 14", assertThrows(
                IllegalArgumentException.class, () -> parse(concat(autogaze, "--target-scales", "56,100",
                        "--target-patch", "14")).toOptions()).getMessage());
        assertEquals("--target-scales / --target-patch 56,112/p14 need the autogaze gaze source; patch-diff has no"
                + " resolution adaptation", assertThrows(IllegalArgumentException.class, () -> parse("--input", "/v",
                "--out", "/o", "--target-scales", "56,112", "--target-patch", "14").toOptions()).getMessage());
    }

    @Test
    void tilesFlagTurnsOnAnyResAndRefusesAResolutionTarget() {
        String[] autogaze = {"--input", "/v", "--out", "/o", "--gaze-source", "autogaze", "--model", "/m"};
        assertTrue(parse(concat(autogaze, "--tiles", "--frame-height", "720", "--frame-width", "1280")).toOptions()
                .tiles());
        assertEquals(false, parse(autogaze).toOptions().tiles());
        assertEquals("--tiles cannot be combined with --target-scales 56,112,196,392/p14: resolution adaptation tiles"
                + " each frame itself", assertThrows(IllegalArgumentException.class, () -> parse(concat(autogaze,
                "--tiles", "--target-scales", "56,112,196,392", "--target-patch", "14")).toOptions()).getMessage());
    }

    @Test
    void withoutModelTheRunUsesTheCachedSnapshotFromXdgCacheHomeAndWithoutOnePatchDiff() throws Exception {
        Path repo = tmp.resolve("xdg/huggingface/hub/models--nvidia--AutoGaze");
        Path snap = Files.createDirectories(repo.resolve("snapshots/feed0123"));
        Files.createDirectories(repo.resolve("blobs"));
        for (String name : new String[] {"config.json", "model.safetensors"}) {
            Files.createSymbolicLink(snap.resolve(name), Files.writeString(repo.resolve("blobs/" + name), "{}"));
        }
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), "feed0123");
        ModelLocator xdg = new ModelLocator(Map.of("XDG_CACHE_HOME", tmp.resolve("xdg").toString()), tmp.resolve("h"));
        GazeSourceSpec spec = parse(xdg, "--input", "/v", "--out", "/o").toOptions().gazeSource();
        assertEquals(GazeSourceSpec.Kind.AUTOGAZE, spec.kind());
        assertEquals(snap.toString(), spec.modelPath());
        assertEquals(GazeSourceSpec.Kind.PATCH_DIFF, parse("--input", "/v", "--out", "/o").toOptions().gazeSource()
                .kind());
        // a broken snapshot is an error, not a quiet switch to patch-diff
        Files.delete(repo.resolve("blobs/model.safetensors"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse(xdg, "--input", "/v", "--out", "/o").toOptions());
        assertTrue(e.getMessage().startsWith("autogaze without --model: " + repo.resolve("refs/main")
                + " names revision feed0123, whose snapshot is broken: " + snap.resolve("model.safetensors")
                + " is a dangling link to " + repo.resolve("blobs/model.safetensors")), e.getMessage());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void validationFailsBeforeSparkStartsWithExitCode2() {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err));
        int code;
        try {
            code = new CommandLine(new RunCommand()).execute("--input", "/no/such/videos", "--out", "/tmp/x",
                    "--batch-size", "0");
        } finally {
            System.setErr(saved);
        }
        assertEquals(2, code);
        assertTrue(err.toString().contains("autogaze run: --batch-size 0 must be >= 1"), err.toString());
    }

    @Test
    void missingInputIsNamedAsTheInputOptionAloneAndNoOutputFolderIsMade(@TempDir Path tmp) {
        Path out = tmp.resolve("out");
        CliRun r = CliRun.of("run", "--input", "/no/such/videos", "--out", out.toString(), "--conf",
                "spark.hadoop.fs.file.impl.disable.cache=true");
        assertEquals(2, r.code());
        // one line: no Spark class is touched before the listing, so none of Spark's start-up WARN lines precede it
        assertEquals(List.of("autogaze run: --input /no/such/videos: File /no/such/videos does not exist"),
                r.err().lines().toList());
        assertFalse(Files.exists(out), "a run that fails validation leaves no --out folder");
    }

    @Test
    void sparkHadoopSettingsApplyToTheListing(@TempDir Path tmp) {
        // without the setting first: Hadoop caches a file system per scheme once one is made
        CliRun without = CliRun.of("run", "--input", "nosuchfs://bucket/videos", "--out",
                tmp.resolve("out").toString());
        assertEquals(2, without.code());
        assertTrue(without.err().contains("No FileSystem for scheme \"nosuchfs\""), without.err());
        CliRun with = CliRun.of("run", "--input", "nosuchfs://bucket/videos", "--out", tmp.resolve("out").toString(),
                "--conf", "spark.hadoop.fs.nosuchfs.impl=org.apache.hadoop.fs.RawLocalFileSystem");
        // with it the scheme resolves (to a local file system, which then refuses the foreign path)
        assertEquals(2, with.code());
        assertTrue(with.err().startsWith("autogaze run: "), with.err());
        assertFalse(with.err().contains("No FileSystem for scheme"), with.err());
        assertFalse(Files.exists(tmp.resolve("out")));
    }
}
