package dev.autogaze.readout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autogaze.model.AutoGazeConfig;
import dev.autogaze.model.SafetensorsFile;
import dev.autogaze.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The decoder against the official outputs: every case's per-scale gazing masks, rebuilt from the decoded
 * fixations (cell (r, c) of scale s = element r·g_s + c), must equal the reference masks exactly.
 */
class FixtureMaskTest {

    @Test
    void decodedFixationsRebuildTheReferenceGazingMasksOfEveryCase() throws IOException {
        int cases = 0;
        for (String set : List.of("nvidia-b1-t16", "nvidia-b2-t4", "nvidia-preprocess-240x320")) {
            Path dir = Fixtures.autogazeSet(set);
            ScaleLayout layout = AutoGazeConfig.load(dir.resolve("model")).layout();
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(p -> p.getFileName().toString().startsWith("case_")).sorted().toList();
            }
            assertTrue(!files.isEmpty(), "no cases in " + dir);
            for (Path file : files) {
                check(layout, SafetensorsFile.open(file), set + "/" + file.getFileName());
                cases++;
            }
        }
        assertEquals(8, cases);
    }

    private static void check(ScaleLayout layout, SafetensorsFile f, String name) {
        long[] shape = f.info("gazing_pos").shape();
        int b = (int) shape[0];
        int len = (int) shape[1];
        long[] posFlat = f.longs("gazing_pos");
        long[] pad8 = f.longs("if_padded_gazing");
        boolean[] padFlat = new boolean[pad8.length];
        for (int i = 0; i < pad8.length; i++) {
            padFlat[i] = pad8[i] != 0;
        }
        long[] n64 = f.longs("num_gazing_each_frame");
        int[] n = new int[n64.length];
        for (int t = 0; t < n.length; t++) {
            n[t] = (int) n64[t];
        }
        long[][] pos = new long[b][len];
        boolean[][] pad = new boolean[b][len];
        for (int r = 0; r < b; r++) {
            System.arraycopy(posFlat, r * len, pos[r], 0, len);
            System.arraycopy(padFlat, r * len, pad[r], 0, len);
        }
        GeneratedGaze gaze = new GeneratedGaze(pos, pad, n, null, layout.tokensPerFrame());
        List<FixationTrace> traces = FixationTrace.fromGenerated(gaze, GazeTokenDecoder.of(layout));
        int frames = n.length;
        for (int s = 0; s < layout.scaleCount(); s++) {
            int g = layout.grid(s);
            float[] expected = f.floats("gazing_mask_" + s);
            float[] rebuilt = new float[b * frames * g * g];
            for (int r = 0; r < b; r++) {
                for (int t = 0; t < frames; t++) {
                    for (Fixation x : traces.get(r).frame(t)) {
                        if (x.cell().scale() == s) {
                            rebuilt[(r * frames + t) * g * g + x.cell().row() * g + x.cell().col()] = 1f;
                        }
                    }
                }
            }
            assertEquals(expected.length, rebuilt.length, name + " mask " + s);
            List<Integer> diff = new ArrayList<>();
            for (int i = 0; i < expected.length; i++) {
                if (expected[i] != rebuilt[i]) {
                    diff.add(i);
                }
            }
            assertTrue(diff.isEmpty(), name + " mask " + s + " differs at " + diff);
        }
        for (int r = 0; r < b; r++) {
            assertEquals(gaze.realCount(r), traces.get(r).fixationCount(), name);
        }
    }
}
