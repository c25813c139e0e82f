package dev.autogaze.model.bench;

import dev.autogaze.model.AutoGazeProcessor;
import dev.autogaze.model.AutoGazeWeights;
import dev.autogaze.model.Gemm;
import dev.autogaze.model.PixelValues;
import dev.autogaze.model.VisionEncoder;
import dev.autogaze.video.RgbClip;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Prints ms per 16-frame clip for the processor (224x224, 240x320 and 1920x1080 input) and the vision encoder (B = 1 and 8).
 * Usage: {@code java -cp ... dev.autogaze.model.bench.EncoderBench [model dir] [repetitions]}; the BLAS thread
 * count comes from {@code -Dautogaze.blas.threads} (default 1). Prints wall time and this thread's CPU time (with
 * one BLAS thread all work runs on it), the latter being the steadier number on a shared machine.
 */
public final class EncoderBench {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        Path model = Path.of(args.length > 0 ? args[0] : "../shared/fixtures/autogaze/nvidia-b1-t16/model");
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        System.out.println("BLAS threads " + Gemm.threads() + ", " + reps + " repetitions after warm-up");
        AutoGazeProcessor processor = AutoGazeProcessor.defaults();
        for (int[] hw : new int[][] {{224, 224}, {240, 320}, {1080, 1920}}) {
            RgbClip clip = randomClip(hw[0], hw[1], 16);
            for (int i = 0; i < 10; i++) {
                processor.process(clip);
            }
            long t0 = System.nanoTime();
            long c0 = CPU.getCurrentThreadCpuTime();
            for (int i = 0; i < reps; i++) {
                processor.process(clip);
            }
            System.out.printf("processor %dx%d x16 frames: %.1f ms wall, %.1f ms cpu per clip%n", hw[1], hw[0],
                    (System.nanoTime() - t0) / 1e6 / reps, (CPU.getCurrentThreadCpuTime() - c0) / 1e6 / reps);
        }
        PixelValues pv = processor.process(randomClip(224, 224, 16));
        try (VisionEncoder encoder = new VisionEncoder(AutoGazeWeights.load(model))) {
            for (int batch : new int[] {1, 8}) {
                float[] pixels = new float[batch * pv.data().length];
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(pv.data(), 0, pixels, b * pv.data().length, pv.data().length);
                }
                int n = Math.max(2, reps / batch);
                for (int i = 0; i < Math.max(2, 16 / batch); i++) {
                    encoder.encode(pixels, batch, 16, 224, 224);
                }
                long t0 = System.nanoTime();
                long c0 = CPU.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) {
                    encoder.encode(pixels, batch, 16, 224, 224);
                }
                double ms = (System.nanoTime() - t0) / 1e6 / n / batch;
                double cpu = (CPU.getCurrentThreadCpuTime() - c0) / 1e6 / n / batch;
                System.out.printf("encoder B=%d x16 frames 224: %.1f ms wall, %.1f ms cpu per clip%n", batch, ms, cpu);
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
