package dev.autogaze.readout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
        Path root = FixtureTensors.root();
        int cases = 0;
        for (String set : List.of("nvidia-b1-t16", "nvidia-b2-t4", "nvidia-preprocess-240x320")) {
            Path dir = root.resolve(set);
            JsonNode config = FixtureTensors.json(dir.resolve("model/config.json"));
            ScaleLayout layout = ScaleLayout.parse(config.get("scales").asText(),
                    config.get("gaze_model_config").get("vision_model_config").get("kernel_size").asInt(),
                    config.get("num_vision_tokens_each_frame").asInt());
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(p -> p.getFileName().toString().startsWith("case_")).sorted().toList();
            }
            assertTrue(!files.isEmpty(), "no cases in " + dir);
            for (Path file : files) {
                check(layout, FixtureTensors.open(file), set + "/" + file.getFileName());
                cases++;
            }
        }
        assertEquals(8, cases);
    }

    private static void check(ScaleLayout layout, FixtureTensors f, String name) {
        int[] shape = f.shape("gazing_pos");
        int b = shape[0];
        int len = shape[1];
        long[] posFlat = f.int64("gazing_pos");
        boolean[] padFlat = f.bool8("if_padded_gazing");
        long[] n64 = f.int64("num_gazing_each_frame");
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
        List<FixationTrace> traces = FixationTrace.fromGenerated(gaze, GazeDecoder.of(layout));
        int frames = n.length;
        for (int s = 0; s < layout.scaleCount(); s++) {
            int g = layout.grid(s);
            float[] expected = f.float32("gazing_mask_" + s);
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
