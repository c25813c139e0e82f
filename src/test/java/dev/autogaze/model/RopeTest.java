package dev.autogaze.model;

import dev.autogaze.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RopeTest {

    @Test
    void invFreqIsBitExactWithTheFixture() {
        for (String set : new String[] {"nvidia-b1-t16", "nvidia-b2-t4"}) {
            Path dir = Fixtures.autogazeSet(set);
            AutoGazeConfig config = AutoGazeConfig.load(dir.resolve("model"));
            float[] expected = SafetensorsFile.open(dir.resolve("inputs.safetensors")).floats("rope_inv_freq");
            float[] actual = Rope.invFreq(config.decoder());
            assertEquals(expected.length, actual.length);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
                        set + " inv_freq[" + i + "]: expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }

    @Test
    void positionZeroIsTheIdentityAndRotationPreservesPairNorms() {
        AutoGazeConfig config = AutoGazeConfig.load(Fixtures.autogazeSet("nvidia-b1-t16").resolve("model"));
        Rope rope = new Rope(config.decoder());
        int dim = config.decoder().headDim();
        float[] x = new float[2 * dim];
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        float[] y = x.clone();
        rope.apply(y, 0, 2, 0);
        assertArrayEquals(x, y);
        rope.apply(y, 0, 2, 4321);
        int half = dim / 2;
        for (int h = 0; h < 2; h++) {
            for (int i = 0; i < half; i++) {
                int a = h * dim + i;
                int b = a + half;
                double before = x[a] * x[a] + x[b] * x[b];
                double after = y[a] * y[a] + y[b] * y[b];
                assertEquals(before, after, 1e-5 * Math.max(1, before));
            }
        }
        // rotate_half: the first lane pair at frequency 1.0 turns by exactly `pos` radians
        float[] unit = new float[dim];
        unit[0] = 1f;
        rope.apply(unit, 0, 1, 3);
        assertEquals(Math.cos(3), unit[0], 1e-6);
        assertEquals(Math.sin(3), unit[half], 1e-6);
    }

    @Test
    void negativePositionIsRejected() {
        AutoGazeConfig config = AutoGazeConfig.load(Fixtures.autogazeSet("nvidia-b1-t16").resolve("model"));
        Rope rope = new Rope(config.decoder());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> rope.apply(new float[64], 0, 1, -2));
        assertEquals("RoPE position -2 is negative", e.getMessage());
    }
}
