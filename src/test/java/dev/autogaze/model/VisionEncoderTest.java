package dev.autogaze.model;

import dev.autogaze.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
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
    void framesPastTheFirstGemmChunkMatchADirectConvolution() {
        // 18 frames: the trunk runs frames 16 and 17 in a second chunk that reaches back into the first.
        AutoGazeWeights w = AutoGazeWeights.load(Fixtures.autogazeSet("nvidia-b1-t16").resolve("model"));
        int t = 18;
        float[] pixels = randomPixels(new SplittableRandom(21), t);
        float[] got = encoder.encode(pixels, 1, t, 224, 224);
        String p = AutoGazeWeights.VISION;
        float[] wt = w.tensor(p + "temporal_conv.weight");
        float[] bt = w.tensor(p + "temporal_conv.bias");
        float[] wb = w.tensor(p + "blocks.0.conv3d.weight");
        float[] bb = w.tensor(p + "blocks.0.conv3d.bias");
        float[] wo = w.tensor(p + "out_proj.weight");
        float[] bo = w.tensor(p + "out_proj.bias");
        float[] pos = w.tensor(AutoGazeWeights.CONNECTOR + "pos_embed");
        double[][][] feats = new double[4][196][192]; // frames 14..17 after patchify + LayerNorm
        for (int f = 0; f < 4; f++) {
            for (int n = 0; n < 196; n++) {
                int pi = n / 14;
                int pj = n % 14;
                for (int o = 0; o < 192; o++) {
                    double s = bt[o];
                    for (int c = 0; c < 3; c++) {
                        for (int ky = 0; ky < 16; ky++) {
                            for (int kx = 0; kx < 16; kx++) {
                                s += wt[((o * 3 + c) * 16 + ky) * 16 + kx]
                                        * pixels[(((14 + f) * 3 + c) * 224 + pi * 16 + ky) * 224 + pj * 16 + kx];
                            }
                        }
                    }
                    feats[f][n][o] = s;
                }
                double mean = Arrays.stream(feats[f][n]).average().orElseThrow();
                double var = Arrays.stream(feats[f][n]).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
                for (int o = 0; o < 192; o++) {
                    feats[f][n][o] = (feats[f][n][o] - mean) / Math.sqrt(var + 1e-5)
                            * w.tensor(p + "norm.weight")[o] + w.tensor(p + "norm.bias")[o];
                }
            }
        }
        for (int frame = 16; frame < 18; frame++) {
            for (int n = 0; n < 196; n += 13) {
                int i = n / 14;
                int j = n % 14;
                double[] h = new double[192];
                for (int o = 0; o < 192; o++) {
                    double s = bb[o];
                    for (int dt = 0; dt < 3; dt++) {
                        double[][] src = feats[frame - 2 + dt - 14];
                        for (int dy = 0; dy < 3; dy++) {
                            for (int dx = 0; dx < 3; dx++) {
                                int si = i + dy - 1;
                                int sj = j + dx - 1;
                                if (si < 0 || si >= 14 || sj < 0 || sj >= 14) {
                                    continue;
                                }
                                for (int c = 0; c < 192; c++) {
                                    s += wb[(((o * 192 + c) * 3 + dt) * 3 + dy) * 3 + dx] * src[si * 14 + sj][c];
                                }
                            }
                        }
                    }
                    h[o] = Math.max(0, s);
                }
                for (int o = 0; o < 192; o++) {
                    double s = bo[o] + pos[n * 192 + o];
                    for (int c = 0; c < 192; c++) {
                        s += wo[o * 192 + c] * h[c];
                    }
                    assertEquals(s, got[(frame * 196 + n) * 192 + o], 1e-4, "frame " + frame + " token " + n);
                }
            }
        }
    }

    @Test
    void streamingInPiecesEqualsTheWholeClip() {
        int t = 7;
        float[] a = randomPixels(new SplittableRandom(31), t);
        float[] b = randomPixels(new SplittableRandom(32), t);
        float[] both = concat(a, b);
        float[] whole = encoder.encode(both, 2, t, 224, 224);
        EncoderStream stream = encoder.newStream(2);
        int frame = 3 * 224 * 224;
        int[] pieces = {1, 1, 3, 2};
        int start = 0;
        for (int len : pieces) {
            float[] piece = concat(Arrays.copyOfRange(a, start * frame, (start + len) * frame),
                    Arrays.copyOfRange(b, start * frame, (start + len) * frame));
            float[] got = encoder.encode(piece, 2, len, 224, 224, stream);
            int per = 196 * 192;
            for (int row = 0; row < 2; row++) {
                for (int i = 0; i < len * per; i++) {
                    assertEquals(whole[(row * t + start) * per + i], got[row * len * per + i], 1e-5f,
                            "row " + row + " frame " + (start + i / per));
                }
            }
            start += len;
        }
        assertEquals(2, stream.heldFrames());
    }

    @Test
    void streamOfAnotherBatchSizeIsRejected() {
        EncoderStream stream = encoder.newStream(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> encoder.encode(new float[3 * 224 * 224], 1, 1, 224, 224, stream));
        assertTrue(e.getMessage().contains("stream of batch 2 fed a batch of 1"), e.getMessage());
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void concurrentCallsOnOneEncoderGiveTheSequentialResults() throws Exception {
        float[][] inputs = new float[4][];
        float[][] expected = new float[4][];
        for (int i = 0; i < 4; i++) {
            inputs[i] = randomPixels(new SplittableRandom(40 + i), 3);
            expected[i] = encoder.encode(inputs[i], 1, 3, 224, 224);
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<float[]>>();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 4; i++) {
                    float[] in = inputs[i];
                    futures.add(pool.submit(() -> encoder.encode(in, 1, 3, 224, 224)));
                }
            }
            for (int f = 0; f < futures.size(); f++) {
                assertArrayEquals(expected[f % 4], futures.get(f).get(), "call " + f);
            }
        } finally {
            pool.shutdownNow();
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
