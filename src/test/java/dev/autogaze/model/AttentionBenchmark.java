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
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One thread's attention for all 6 heads of the released decoder (head size 32) against a cache of `keys` tokens:
 * `queries` = 10 is a decode call (K heads), 16 a prefill query block. Reports µs per call of the six heads (one
 * layer); the ideal at one 16-lane FMA per cycle is queries·keys·6·64/16 cycles.
 * Run: java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) --add-modules=jdk.incubator.vector
 * org.openjdk.jmh.Main AttentionBenchmark
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class AttentionBenchmark {

    private static final int HEADS = 6;
    private static final int HEAD_DIM = 32;

    @Param({"10", "16"})
    int queries;

    @Param({"3200"})
    int keys;

    /** Layers cycled through per call: 4 gives the real cache footprint (out of L3 for long clips). */
    @Param({"1", "4"})
    int layers;

    private KvCache cache;
    private AttentionKernel attention;
    private final AttentionKernel.Scratch scratch = new AttentionKernel.Scratch();
    private float[] q;
    private float[] out;

    @Setup
    public void setUp() {
        Random rnd = new Random(1);
        cache = new KvCache(1, layers, HEADS, HEAD_DIM, keys);
        for (int l = 0; l < layers; l++) {
            for (float[] a : new float[][] {cache.keysT[l][0], cache.values[l][0]}) {
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) rnd.nextGaussian();
                }
            }
        }
        q = new float[queries * HEADS * HEAD_DIM];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) rnd.nextGaussian();
        }
        out = new float[q.length];
        attention = new AttentionKernel(Kernels.best(), HEADS, HEADS, HEAD_DIM, (float) (1 / Math.sqrt(HEAD_DIM)));
    }

    private int layer;

    @Benchmark
    public float sixHeads() {
        layer = (layer + 1) % layers;
        for (int h = 0; h < HEADS; h++) {
            attention.attend(cache, layer, 0, h, q, 0, 0, queries, keys - queries, out, 0, scratch);
        }
        return out[0];
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(AttentionBenchmark.class.getSimpleName()).build()).run();
    }
}
