package dev.autogaze.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VideoCommandsTest {

    @TempDir
    Path dir;

    @Test
    void makeSamplesWritesThreeSmallVideosThatProbeReadsBack() throws Exception {
        CliRun r = CliRun.of("make-samples", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count());
        }
        for (String name : new String[]{"shapes_320x240_h264.mp4", "shapes_224x224_vp9.webm", "shapes_640x360_h264.mp4"}) {
            long size = Files.size(dir.resolve(name));
            assertTrue(size > 10_000 && size < 1_000_000, name + " is " + size + " bytes");
        }
        CliRun p = CliRun.of("probe", dir.resolve("shapes_224x224_vp9.webm").toString(), "--fps", "10", "--clip-length", "8");
        assertEquals(0, p.code(), p.err());
        String out = p.out();
        assertTrue(out.contains("video       vp9 224x224, 24.000 fps, 48 frames"), out);
        assertTrue(out.contains("decoded     48 frames"), out);
        assertTrue(out.contains("clip plan   3 clips from 20 sampled frames"), out);
        assertTrue(out.contains("clip 0: frames [0, 3, 5, 8, 10, 12, 15, 17], 0.000..0.708 s"), out);
        assertTrue(out.contains("clip 2: frames [39, 41, 44, 46], 1.625..1.917 s, + 4 repeats of frame 46"), out);
    }

    @Test
    void probeOfABadFileExitsTwoWithPathStageAndMessage() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.mp4"));
        CliRun r = CliRun.of("probe", empty.toString());
        assertEquals(2, r.code());
        String err = r.err();
        assertTrue(err.contains("stage: OPEN"), err);
        assertTrue(err.contains("message: file is empty (0 bytes)"), err);
    }

    @Test
    void probeRejectsContradictoryOptionsNamingBoth() throws Exception {
        Path empty = Files.createFile(dir.resolve("x.mp4"));
        CliRun r = CliRun.of("probe", empty.toString(), "--fps", "5", "--frame-stride", "2");
        assertTrue(r.code() != 0);
        assertTrue(r.err().contains("--fps 5.0 and --frame-stride 2 exclude each other"), r.err());
    }
}
