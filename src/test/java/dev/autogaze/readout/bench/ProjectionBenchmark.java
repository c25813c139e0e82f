package dev.autogaze.readout.bench;

import dev.autogaze.readout.FrameIds;
import dev.autogaze.readout.ImageGrid;
import dev.autogaze.readout.ImageGridProjector;
import dev.autogaze.readout.ReadoutOptions;
import dev.autogaze.readout.ScaleLayout;
import dev.autogaze.readout.VideoCoordinates;
import dev.autogaze.readout.VideoGeometry;
import dev.autogaze.readout.VideoTokenOptions;
import dev.autogaze.readout.VideoTokenProjector;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Projection throughput for the benchmark case of docs/performance.md: a 16-frame clip of 198 distinct gazes per
 * frame (released layout) onto a 224/16 grid with tubelet 2, one thread. "Projected tokens" are the token hits the
 * rect quantisation produces before deduplication (about 630 per frame here); the auxiliary counter
 * {@code projectedTokens} reports them per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
@State(Scope.Thread)
public class ProjectionBenchmark {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    /**
     * none = no caps (the plain tubelet union); budgets = the ordered path (per-bin 96, global 512, minimum 8 per
     * bin); frameCap = per-frame caps (at most 150 fixations and 100 tokens per frame), also the ordered path.
     */
    @Param({"none", "budgets", "frameCap"})
    public String budgets;

    private VideoTokenProjector video;
    private FrameIds clip;
    private long hitsPerClip;

    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counters {
        public long projectedTokens;
        public long selectedTokens;
        private long cpuStart;

        @Setup(Level.Iteration)
        public void reset() {
            projectedTokens = 0;
            selectedTokens = 0;
            cpuStart = CPU.getCurrentThreadCpuTime();
        }

        /** Tokens per CPU-second of this thread: the per-core rate even when other processes share the cores. */
        @TearDown(Level.Iteration)
        public void report() {
            double cpuSeconds = (CPU.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            System.out.printf("[cpu-normalised: %.1f M projected tokens per CPU-second] ", projectedTokens / cpuSeconds
                    / 1e6);
        }
    }

    @Setup
    public void setup() {
        ScaleLayout layout = ScaleLayout.released();
        VideoGeometry g = new VideoGeometry(16, 224, 224, 2, 16);
        VideoTokenOptions v = budgets.equals("budgets") ? new VideoTokenOptions(96, 512, 8)
                : VideoTokenOptions.defaults();
        ReadoutOptions o = budgets.equals("frameCap")
                ? ReadoutOptions.defaults().withMaxFixationsPerFrame(150).withMaxTokensPerFrame(100)
                : ReadoutOptions.defaults();
        video = new VideoTokenProjector(layout, g, o, v);
        clip = clip(layout, 16, 198, 2026);
        hitsPerClip = hits(layout, clip);
    }

    /** 198 distinct ids per frame (the model never repeats an id within a frame), seeded. */
    static FrameIds clip(ScaleLayout layout, int frames, int perFrame, long seed) {
        Random rnd = new Random(seed);
        int n = layout.tokensPerFrame();
        int[] ids = new int[frames * perFrame];
        int[] start = new int[frames + 1];
        int[] deck = new int[n];
        for (int t = 0; t < frames; t++) {
            for (int i = 0; i < n; i++) {
                deck[i] = i;
            }
            for (int i = 0; i < perFrame; i++) {
                int j = i + rnd.nextInt(n - i);
                int tmp = deck[i];
                deck[i] = deck[j];
                deck[j] = tmp;
                ids[t * perFrame + i] = deck[i];
            }
            start[t + 1] = (t + 1) * perFrame;
        }
        return new FrameIds(ids, null, start);
    }

    /** Token hits before dedup: the per-id footprint sizes summed (one-gaze frames through the public API). */
    static long hits(ScaleLayout layout, FrameIds clip) {
        ImageGridProjector one = new ImageGridProjector(layout, new ImageGrid(224, 224, 16), ReadoutOptions.defaults());
        int[] size = new int[layout.tokensPerFrame()];
        for (int id = 0; id < size.length; id++) {
            size[id] = one.project(new FrameIds(new int[] {id}, null, new int[] {0, 1})).frame(0).length;
        }
        long h = 0;
        for (int id : clip.ids()) {
            h += size[id];
        }
        return h;
    }

    @Benchmark
    public VideoCoordinates videoTokens(Counters c) {
        VideoCoordinates out = video.project(clip, 0);
        c.projectedTokens += hitsPerClip;
        c.selectedTokens += out.count();
        return out;
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(ProjectionBenchmark.class.getSimpleName()).build()).run();
    }
}
