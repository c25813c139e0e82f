package dev.autogaze.model.bench;

import dev.autogaze.model.AutoGazeProcessor;
import dev.autogaze.model.AutoGazeWeights;
import dev.autogaze.model.Gemm;
import dev.autogaze.model.PixelValues;
import dev.autogaze.model.VisionEncoder;
import dev.autogaze.video.RgbClip;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Prints ms per 16-frame clip for the processor (224x224 and 240x320 input) and the vision encoder (B = 1 and 8).
 * Usage: {@code java -cp ... dev.autogaze.model.bench.EncoderBench [model dir] [repetitions]}; the BLAS thread
 * count comes from {@code -Dautogaze.blas.threads} (default 1).
 */
public final class EncoderBench {

    public static void main(String[] args) {
        Path model = Path.of(args.length > 0 ? args[0] : "../shared/fixtures/autogaze/nvidia-b1-t16/model");
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        System.out.println("BLAS threads " + Gemm.threads() + ", " + reps + " repetitions after warm-up");
        AutoGazeProcessor processor = AutoGazeProcessor.defaults();
        for (int[] hw : new int[][] {{224, 224}, {240, 320}}) {
            RgbClip clip = randomClip(hw[0], hw[1], 16);
            for (int i = 0; i < 3; i++) {
                processor.process(clip);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                processor.process(clip);
            }
            System.out.printf("processor %dx%d x16 frames: %.2f ms per clip%n", hw[1], hw[0],
                    (System.nanoTime() - t0) / 1e6 / reps);
        }
        PixelValues pv = processor.process(randomClip(224, 224, 16));
        try (VisionEncoder encoder = new VisionEncoder(AutoGazeWeights.load(model))) {
            for (int batch : new int[] {1, 8}) {
                float[] pixels = new float[batch * pv.data().length];
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(pv.data(), 0, pixels, b * pv.data().length, pv.data().length);
                }
                int n = Math.max(2, reps / batch);
                for (int i = 0; i < 2; i++) {
                    encoder.encode(pixels, batch, 16, 224, 224);
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    encoder.encode(pixels, batch, 16, 224, 224);
                }
                double ms = (System.nanoTime() - t0) / 1e6 / n;
                System.out.printf("encoder B=%d x16 frames 224: %.1f ms per call, %.1f ms per clip%n", batch, ms,
                        ms / batch);
            }
        }
    }

    private static RgbClip randomClip(int h, int w, int frames) {
        SplittableRandom r = new SplittableRandom(5);
        byte[][] f = new byte[frames][h * w * 3];
        for (byte[] frame : f) {
            r.nextBytes(frame);
        }
        return new RgbClip(w, h, f);
    }
}
