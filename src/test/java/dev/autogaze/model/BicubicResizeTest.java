package dev.autogaze.model;

import dev.autogaze.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BicubicResizeTest {

    @Test
    void doublingARampMatchesHandComputedCubicConvolution() {
        // [0, 1] -> 4 samples. Sample 0: src -0.25, t 0.75, weights CC2(1.75)=-0.03515625, CC1(0.75)=0.26171875,
        // CC1(0.25)=0.87890625, CC2(1.25)=-0.10546875 on clamped taps 0,0,0,1 -> -0.10546875.
        // Sample 1: src 0.25, t 0.25, taps 0,0,1,1 -> 0.26171875 - 0.03515625 = 0.2265625; the rest by symmetry.
        float[] out = BicubicResize.resize(new float[] {0f, 1f}, 1, 1, 2, 1, 4);
        assertArrayEquals(new float[] {-0.10546875f, 0.2265625f, 0.7734375f, 1.10546875f}, out);
    }

    @Test
    void weightsSumToOneAndEqualSizeIsTheIdentityKernel() {
        BicubicResize.Axis same = BicubicResize.axis(5, 5);
        for (int d = 0; d < 5; d++) {
            assertArrayEquals(new float[] {0f, 1f, 0f, 0f}, java.util.Arrays.copyOfRange(same.weights(), d * 4,
                    d * 4 + 4));
        }
        BicubicResize.Axis down = BicubicResize.axis(298, 224);
        for (int d = 0; d < 224; d++) {
            float s = 0;
            for (int j = 0; j < 4; j++) {
                s += down.weights()[d * 4 + j];
            }
            assertEquals(1f, s, 1e-6f);
        }
    }

    @Test
    void alreadySquarePlanesComeBackUntouched() {
        float[] in = new float[2 * 4 * 4];
        assertSame(in, BicubicResize.squash(in, 2, 4, 4, 4));
    }

    @Test
    void heightOnlyIdentityLeavesColumnsOfAWidthOnlyResizeExact() {
        SplittableRandom r = new SplittableRandom(3);
        float[] in = new float[6 * 9];
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) r.nextGaussian();
        }
        float[] both = BicubicResize.resize(in, 1, 6, 9, 6, 5);
        float[] rowByRow = new float[6 * 5];
        for (int y = 0; y < 6; y++) {
            float[] line = java.util.Arrays.copyOfRange(in, y * 9, y * 9 + 9);
            System.arraycopy(BicubicResize.resize(line, 1, 1, 9, 1, 5), 0, rowByRow, y * 5, 5);
        }
        assertArrayEquals(rowByRow, both);
    }

    @Test
    void badSizeIsRejectedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BicubicResize.resize(new float[5], 1, 2, 3, 2, 2));
        assertTrue(e.getMessage().contains("5 floats, expected 1x2x3"), e.getMessage());
    }

    @Test
    void processorOutputSquashMatchesTheFixtureGazeInput() {
        SafetensorsFile in = SafetensorsFile.open(Fixtures.autogazeSet("nvidia-preprocess-240x320")
                .resolve("inputs.safetensors"));
        float[] pixels = in.floats("pixel_values");
        float[] expected = in.floats("gaze_input_224");
        float[] got = BicubicResize.squash(pixels, 4 * 3, 224, 298, 224);
        assertEquals(expected.length, got.length);
        double max = 0;
        int exact = 0;
        for (int i = 0; i < got.length; i++) {
            max = Math.max(max, Math.abs(got[i] - expected[i]));
            exact += got[i] == expected[i] ? 1 : 0;
        }
        System.out.printf("bicubic 224x298 -> 224x224: max |diff| %.3g, bit-exact %d of %d%n", max, exact,
                got.length);
        assertTrue(max <= 1e-5, "max |diff| " + max);
        assertEquals(got.length, exact, "values that are not bit-exact");
    }
}
