package dev.autogaze.model;

import dev.autogaze.testing.Fixtures;
import dev.autogaze.video.RgbClip;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutoGazeProcessorTest {

    @Test
    void shortestEdgeKeepsAspectAndTruncatesTheLongSide() {
        ProcessorConfig c = ProcessorConfig.defaults();
        assertArrayEquals(new int[] {224, 298}, c.outputSize(240, 320));
        assertArrayEquals(new int[] {398, 224}, c.outputSize(640, 360));
        assertArrayEquals(new int[] {224, 224}, c.outputSize(224, 224));
        assertArrayEquals(new int[] {392, 392}, c.withFixedSize(392, 392).outputSize(240, 320));
    }

    @Test
    void byteValuesMapThroughOffsetRescaleThenImageNetStatistics() {
        AutoGazeProcessor p = AutoGazeProcessor.defaults();
        // 0 -> -1 -> (-1 - 0.485) / 0.229 ; 255 -> f32(2.0) - 1 = 1 -> (1 - 0.406) / 0.225
        assertEquals((-1f - 0.485f) / 0.229f, p.value(0, 0));
        assertEquals((1f - 0.406f) / 0.225f, p.value(255, 2));
        // 127.5 is not a byte: 127 -> f32(127/127.5) - 1 is slightly below zero
        assertEquals(((float) (127 / 127.5) - 1f - 0.456f) / 0.224f, p.value(127, 1));
    }

    @Test
    void squareFixtureFramesProcessBitExactly() {
        assertBitExact("nvidia-b1-t16", 1, 16);
        assertBitExact("nvidia-b2-t4", 2, 4);
    }

    @Test
    void nonSquareFixtureFramesMatchWithinOneQuantumAndReportExactness() {
        SafetensorsFile in = SafetensorsFile.open(Fixtures.autogazeSet("nvidia-preprocess-240x320")
                .resolve("inputs.safetensors"));
        PixelValues got = AutoGazeProcessor.defaults().process(clip(in.bytes("raw_video_u8"), 0, 4, 240, 320));
        float[] expected = in.floats("pixel_values");
        assertEquals(224, got.height());
        assertEquals(298, got.width());
        assertEquals(expected.length, got.data().length);
        ProcessorConfig c = ProcessorConfig.defaults();
        int plane = 224 * 298;
        int exact = 0;
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            int channel = (i / plane) % 3;
            double diff = Math.abs(got.data()[i] - expected[i]);
            max = Math.max(max, diff);
            assertTrue(diff <= (1 / 127.5) / c.std().get(channel) + 1e-6, "value " + i + " differs by " + diff);
            exact += got.data()[i] == expected[i] ? 1 : 0;
        }
        System.out.printf("processor 240x320 -> 224x298: bit-exact %d of %d, max |diff| %.3g%n", exact,
                expected.length, max);
        assertEquals(expected.length, exact, "values that are not bit-exact");
    }

    private static void assertBitExact(String set, int batch, int frames) {
        SafetensorsFile in = SafetensorsFile.open(Fixtures.autogazeSet(set).resolve("inputs.safetensors"));
        byte[] raw = in.bytes("raw_video_u8");
        float[] expected = in.floats("pixel_values");
        int per = frames * 3 * 224 * 224;
        for (int b = 0; b < batch; b++) {
            PixelValues got = AutoGazeProcessor.defaults().process(clip(raw, b, frames, 224, 224));
            assertArrayEquals(Arrays.copyOfRange(expected, b * per, (b + 1) * per), got.data(), set + " row " + b);
        }
    }

    static RgbClip clip(byte[] raw, int row, int frames, int h, int w) {
        byte[][] f = new byte[frames][];
        int size = h * w * 3;
        for (int t = 0; t < frames; t++) {
            int from = (row * frames + t) * size;
            f[t] = Arrays.copyOfRange(raw, from, from + size);
        }
        return new RgbClip(w, h, f);
    }
}
