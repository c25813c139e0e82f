package dev.autogaze.model;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One thread's decoder projection (a {@link Linear}) y = x·Wᵀ for `rows` rows of 192 inputs and `cols` outputs: 1 row × 2660 is the lm
 * head of a decode call, 10 × 768 the fused gate/up projection, 1 × 768 its last-layer single row.
 * Run: see {@link AttentionBenchmark}, with MatmulBenchmark.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class MatmulBenchmark {

    @Param({"1x2660", "1x768", "10x768"})
    String shape;

    /** Weight copies cycled through: 16 × 10x768 is 9 MB, 16 × 1x2660 is 32 MB, beyond what L2/L3 keep. */
    @Param({"1", "16"})
    int copies;

    private final Kernels kernels = Kernels.best();
    private int rows;
    private int cols;
    private float[] x;
    private Linear[] w;
    private int next;
    private float[] y;

    @Setup
    public void setUp() {
        String[] p = shape.split("x");
        rows = Integer.parseInt(p[0]);
        cols = Integer.parseInt(p[1]);
        Random rnd = new Random(3);
        x = new float[rows * 192];
        w = new Linear[copies];
        y = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < copies; i++) {
            float[] weight = new float[cols * 192];
            for (int j = 0; j < weight.length; j++) {
                weight[j] = (float) rnd.nextGaussian();
            }
            w[i] = new Linear(192, weight);
        }
    }

    @Benchmark
    public float product() {
        next = (next + 1) % copies;
        w[next].applyColumns(kernels, x, 0, rows, y, 0, 0, cols);
        return y[0];
    }
}
