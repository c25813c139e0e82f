package dev.autogaze.readout.bench;

import dev.autogaze.readout.FrameIds;
import dev.autogaze.readout.ImageGridProjector;
import dev.autogaze.readout.ImageGrid;
import dev.autogaze.readout.ReadoutOptions;
import dev.autogaze.readout.ScaleLayout;
import dev.autogaze.readout.VideoCoordinates;
import dev.autogaze.readout.VideoGeometry;
import dev.autogaze.readout.VideoTokenOptions;
import dev.autogaze.readout.VideoTokenProjector;
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

    /**
     * none = no caps; budgets = the ordered path: video per-bin 96, global 512, minimum 8 per bin; image at most 64
     * tokens per frame.
     */
    @Param({"none", "budgets"})
    public String budgets;

    private VideoTokenProjector video;
    private ImageGridProjector image;
    private FrameIds clip;
    private long hitsPerClip;

    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counters {
        public long projectedTokens;
        public long selectedTokens;

        @Setup(Level.Iteration)
        public void reset() {
            projectedTokens = 0;
            selectedTokens = 0;
        }
    }

    @Setup
    public void setup() {
        ScaleLayout layout = ScaleLayout.released();
        VideoGeometry g = new VideoGeometry(16, 224, 224, 2, 16);
        VideoTokenOptions v = budgets.equals("none") ? VideoTokenOptions.defaults()
                : new VideoTokenOptions(96, 512, 8);
        video = new VideoTokenProjector(layout, g, ReadoutOptions.defaults(), v);
        image = new ImageGridProjector(layout, new ImageGrid(224, 224, 16), budgets.equals("none")
                ? ReadoutOptions.defaults() : ReadoutOptions.defaults().withMaxTokensPerFrame(64));
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

    @Benchmark
    public int imageTokens(Counters c) {
        int n = image.project(clip).totalTokens();
        c.projectedTokens += hitsPerClip;
        c.selectedTokens += n;
        return n;
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(ProjectionBenchmark.class.getSimpleName()).build()).run();
    }
}
