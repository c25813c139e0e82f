package dev.autogaze.cli;

import dev.autogaze.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FixtureCheckCommandTest {

    @TempDir
    Path tmp;

    @Test
    void matchingFixtureExitsZeroAndSaysExact() throws IOException {
        Path dir = copyOf("nvidia-b2-t4", null);
        Run r = run(dir);
        assertEquals(0, r.exit, r.out);
        assertTrue(r.out.contains("r075_tlsplit") && r.out.contains("EXACT"), r.out);
        assertTrue(r.out.contains("all cases match"), r.out);
    }

    @Test
    void aCaseRunWithTheWrongRatioIsReportedWithItsFrameAndExitsNonZero() throws IOException {
        // the recorded r020_none outputs were made at ratio 0.2 (budget 53); claiming 0.25 (budget 66) must mismatch
        Path dir = copyOf("nvidia-b2-t4", "\"gazing_ratio\": 0.25");
        Run r = run(dir);
        assertEquals(1, r.exit, r.out);
        assertTrue(r.out.contains("MISMATCH: frame 0"), r.out);
    }

    @Test
    void nd4jEngineMatchesTheFixtureAndSaysWhichEngineRan() throws IOException {
        Path dir = copyOf("nvidia-b2-t4", null);
        Run r = run(dir, "--engine", "nd4j");
        assertEquals(0, r.exit, r.out);
        assertTrue(r.out.contains("decoder engine nd4j (CpuBackend)"), r.out);
        assertTrue(r.out.contains("all cases match"), r.out);
    }

    @Test
    void anUnknownEngineFailsNamingTheFlag() throws IOException {
        Path dir = copyOf("nvidia-b2-t4", null);
        Run r = run(dir, "--engine", "tpu");
        assertEquals(2, r.exit, r.out);
        assertEquals("autogaze fixture-check: --engine tpu is unknown; use jvm, nd4j, cuda or auto", r.err.strip());
        assertTrue(!r.out.contains("cases, model"), "failed before any work: " + r.out);
    }

    @Test
    void theCudaEngineWithoutAUsableGpuFailsInOneLineSayingWhy() throws IOException {
        Path dir = copyOf("nvidia-b2-t4", null);
        Run r = run(dir, "--engine", "cuda");
        String why = dev.autogaze.model.cuda.Cuda.unavailableReason();
        if (why == null) { // a GPU machine: the engine runs and matches
            assertEquals(0, r.exit, r.out + r.err);
            assertTrue(r.out.contains("decoder engine cuda ("), r.out);
            return;
        }
        assertEquals(2, r.exit, r.out);
        assertEquals("autogaze fixture-check: cuda engine unavailable: " + why, r.err.strip());
        assertTrue(!r.out.contains("cases, model"), "failed before any work: " + r.out);
    }

    @Test
    void aResolutionAdaptationSetRunsFromRawVideoAndMatchesEveryCase() {
        Run r = run(Fixtures.autogazeSet("nvidia-resadapt-392-p14"), "--from", "raw");
        assertEquals(0, r.exit, r.out + r.err);
        assertTrue(r.out.contains("resolution adaptation: ResolutionAdapter[56,112,196,392/p14, 2x2 tiles of 196 px,"
                + " pad 0]"), r.out);
        assertEquals(3, r.out.lines().filter(l -> l.contains("EXACT")).count(), r.out);
        assertTrue(r.out.contains("all cases match"), r.out);
    }

    @Test
    void aResolutionAdaptationSetFromEmbedsFailsInOneLineSayingWhy() {
        Path dir = Fixtures.autogazeSet("nvidia-resadapt-392-p14");
        Run r = run(dir);
        assertEquals(2, r.exit, r.out);
        assertEquals("autogaze fixture-check: --from embeds: fixture " + dir + " runs resolution adaptation to"
                + " 56,112,196,392/p14, whose tiles are encoded from raw video; use --from raw", r.err.strip());
    }

    private Path copyOf(String set, String ratioOverride) throws IOException {
        Path src = Fixtures.autogazeSet(set);
        Path dir = Files.createDirectories(tmp.resolve(set));
        try (var files = Files.list(src)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!f.getFileName().toString().equals("metadata.json")) {
                    Files.createSymbolicLink(dir.resolve(f.getFileName()), f);
                }
            }
        }
        String meta = Files.readString(src.resolve("metadata.json"));
        if (ratioOverride != null) {
            int at = meta.indexOf("\"r020_none\": {");
            int ratio = meta.indexOf("\"gazing_ratio\": 0.2", at);
            meta = meta.substring(0, ratio) + ratioOverride + meta.substring(ratio + "\"gazing_ratio\": 0.2".length());
        }
        Files.writeString(dir.resolve("metadata.json"), meta);
        return dir;
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(Path dir, String... extra) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream old = System.out;
        PrintStream oldErr = System.err;
        int exit;
        try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8);
             PrintStream es = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
            System.setOut(ps);
            System.setErr(es);
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("fixture-check", "--no-trace"));
            if (!java.util.List.of(extra).contains("--from")) {
                args.addAll(java.util.List.of("--from", "embeds"));
            }
            args.addAll(java.util.List.of(extra));
            args.add(dir.toString());
            exit = AutogazeCli.commandLine().execute(args.toArray(String[]::new));
        } finally {
            System.setOut(old);
            System.setErr(oldErr);
        }
        return new Run(exit, bytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
    }
}
