package dev.autogaze.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VideoCommandsTest {

    @TempDir
    Path dir;

    /** Runs a subcommand, returning {exit code, stdout, stderr}. */
    private static Object[] run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = AutogazeCli.commandLine().execute(args);
            return new Object[]{code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void makeSamplesWritesThreeSmallVideosThatProbeReadsBack() throws Exception {
        Object[] r = run("make-samples", "--out", dir.toString());
        assertEquals(0, r[0], (String) r[2]);
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count());
        }
        for (String name : new String[]{"shapes_320x240_h264.mp4", "shapes_224x224_vp9.webm", "shapes_640x360_h264.mp4"}) {
            long size = Files.size(dir.resolve(name));
            assertTrue(size > 10_000 && size < 1_000_000, name + " is " + size + " bytes");
        }
        Object[] p = run("probe", dir.resolve("shapes_224x224_vp9.webm").toString(), "--fps", "10", "--clip-length", "8");
        assertEquals(0, p[0], (String) p[2]);
        String out = (String) p[1];
        assertTrue(out.contains("video       vp9 224x224, 24.000 fps, 48 frames"), out);
        assertTrue(out.contains("decoded     48 frames"), out);
        assertTrue(out.contains("clip plan   3 clips from 20 sampled frames"), out);
        assertTrue(out.contains("clip 0: frames [0, 3, 5, 8, 10, 12, 15, 17], 0.000..0.708 s"), out);
        assertTrue(out.contains("clip 2: frames [39, 41, 44, 46], 1.625..1.917 s, + 4 repeats of frame 46"), out);
    }

    @Test
    void probeOfABadFileExitsTwoWithPathStageAndMessage() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.mp4"));
        Object[] r = run("probe", empty.toString());
        assertEquals(2, r[0]);
        String err = (String) r[2];
        assertTrue(err.contains("stage: OPEN"), err);
        assertTrue(err.contains("message: file is empty (0 bytes)"), err);
    }

    @Test
    void probeRejectsContradictoryOptionsNamingBoth() throws Exception {
        Path empty = Files.createFile(dir.resolve("x.mp4"));
        Object[] r = run("probe", empty.toString(), "--fps", "5", "--frame-stride", "2");
        assertTrue((int) r[0] != 0);
        assertTrue(((String) r[2]).contains("--fps 5.0 and --frame-stride 2 exclude each other"), (String) r[2]);
    }
}
