package dev.autogaze.model;

import dev.autogaze.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VisionEncoderTest {

    private static VisionEncoder encoder;

    @BeforeAll
    static void load() {
        encoder = new VisionEncoder(AutoGazeWeights.load(Fixtures.autogazeSet("nvidia-b1-t16").resolve("model")));
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void layerNormOfAConstantVectorIsTheBias() {
        float[] x = {3f, 3f, 3f, 3f};
        VisionEncoder.layerNorm(x, 0, 4, new float[] {2f, 2f, 2f, 2f}, new float[] {0.5f, -1f, 0f, 7f}, 1e-5f);
        assertArrayEquals(new float[] {0.5f, -1f, 0f, 7f}, x);
    }

    @Test
    void layerNormStandardizesWithBiasedVariance() {
        // [1, 3]: mean 2, biased variance 1 -> [-1, 1] / sqrt(1 + eps)
        float[] x = {0f, 1f, 3f};
        VisionEncoder.layerNorm(x, 1, 2, new float[] {1f, 1f}, new float[] {0f, 0f}, 0f);
        assertArrayEquals(new float[] {0f, -1f, 1f}, x);
    }

    @Test
    void embeddingsMatchTheFixtureForEverySet() {
        for (String set : new String[] {"nvidia-b1-t16", "nvidia-b2-t4", "nvidia-preprocess-240x320"}) {
            Path dir = Fixtures.autogazeSet(set);
            SafetensorsFile in = SafetensorsFile.open(dir.resolve("inputs.safetensors"));
            long[] shape = in.info("pixel_values").shape();
            float[] got;
            try (VisionEncoder e = new VisionEncoder(AutoGazeWeights.load(dir.resolve("model")))) {
                got = e.encode(in.floats("pixel_values"), (int) shape[0], (int) shape[1], (int) shape[3],
                        (int) shape[4]);
            }
            float[] expected = SafetensorsFile.open(anyCase(dir)).floats("vision_embeds");
            assertEquals(expected.length, got.length, set);
            double max = 0;
            for (int i = 0; i < got.length; i++) {
                max = Math.max(max, Math.abs(got[i] - expected[i]));
            }
            System.out.printf("vision_embeds %s: max |diff| %.3g%n", set, max);
            assertTrue(max <= 1e-5, set + ": max |diff| " + max);
        }
    }

    @Test
    void laterFramesDoNotChangeEarlierEmbeddings() {
        int t = 4;
        float[] pixels = randomPixels(new SplittableRandom(11), t);
        float[] before = encoder.encode(pixels, 1, t, 224, 224);
        int frame = 3 * 224 * 224;
        for (int i = 2 * frame; i < pixels.length; i++) {
            pixels[i] = -pixels[i];
        }
        float[] after = encoder.encode(pixels, 1, t, 224, 224);
        int perFrame = 196 * 192;
        assertArrayEquals(Arrays.copyOfRange(before, 0, 2 * perFrame), Arrays.copyOfRange(after, 0, 2 * perFrame));
        assertNotEquals(before[2 * perFrame], after[2 * perFrame]);
    }

    @Test
    void batchRowsAreEncodedIndependently() {
        // 10 frames per clip so that the 8-frame GEMM chunks straddle the clip boundary
        int t = 10;
        float[] a = randomPixels(new SplittableRandom(1), t);
        float[] b = randomPixels(new SplittableRandom(2), t);
        float[] both = new float[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        float[] batched = encoder.encode(both, 2, t, 224, 224);
        float[] ea = encoder.encode(a, 1, t, 224, 224);
        float[] eb = encoder.encode(b, 1, t, 224, 224);
        for (int i = 0; i < ea.length; i++) {
            assertEquals(ea[i], batched[i], 1e-5f);
            assertEquals(eb[i], batched[ea.length + i], 1e-5f);
        }
    }

    @Test
    void wrongInputLengthIsRejectedNamingTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> encoder.encode(new float[10], 1, 2, 224, 224));
        assertTrue(e.getMessage().contains("10 floats, expected 1x2x3x224x224"), e.getMessage());
    }

    static float[] randomPixels(SplittableRandom r, int frames) {
        float[] p = new float[frames * 3 * 224 * 224];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (r.nextDouble() * 4 - 2);
        }
        return p;
    }

    static Path anyCase(Path dir) {
        try (var files = java.nio.file.Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("case_")).sorted().findFirst()
                    .orElseThrow(() -> new AssertionError("no case_*.safetensors in " + dir));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
