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

    private record Run(int exit, String out) {
    }

    private static Run run(Path dir) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int exit;
        try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setOut(ps);
            exit = AutogazeCli.commandLine().execute("fixture-check", "--from", "embeds", "--no-trace", dir.toString());
        } finally {
            System.setOut(old);
        }
        return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
    }
}
