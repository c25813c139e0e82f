package dev.autogaze.video;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClipPlanTest {

    private static final double INF = Double.POSITIVE_INFINITY;

    private static int[] range(int from, int toInclusive, int step) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i <= toInclusive; i += step) {
            out.add(i);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void everyFrameMakesBackToBackClipsAndPadsTheLastByRepeatingItsLastFrame() {
        ClipPlan plan = ClipPlan.forConstantRate(40, 10, SamplingOptions.defaults(), 0, INF);
        assertEquals(3, plan.clips().size());
        assertArrayEquals(range(0, 15, 1), plan.clips().get(0).frameIndices());
        assertArrayEquals(range(16, 31, 1), plan.clips().get(1).frameIndices());
        ClipPlan.PlannedClip last = plan.clips().get(2);
        assertArrayEquals(new int[]{32, 33, 34, 35, 36, 37, 38, 39, 39, 39, 39, 39, 39, 39, 39, 39},
                last.frameIndices());
        assertEquals(8, last.paddedFrames());
        assertEquals(3.9, last.timestampsSec()[15], 1e-12);
        assertEquals(1.6, plan.clips().get(1).timestampsSec()[0], 1e-12);
    }

    @Test
    void dropPolicyDropsThePartialLastClip() {
        ClipPlan plan = ClipPlan.forConstantRate(40, 10,
                SamplingOptions.defaults().withLastClipPolicy(LastClipPolicy.DROP), 0, INF);
        assertEquals(2, plan.clips().size());
        assertEquals(0, plan.clips().get(1).paddedFrames());
    }

    @Test
    void strideCountsFromTheFirstFrameInTheWindow() {
        // 10 fps, window from 1.05 s: first frame in the window is frame 11 (1.1 s), then every 3rd.
        ClipPlan plan = ClipPlan.forConstantRate(40, 10,
                SamplingOptions.defaults().withFrameStride(3).withClipLength(4), 1.05, INF);
        assertArrayEquals(new int[]{11, 14, 17, 20}, plan.clips().get(0).frameIndices());
        assertArrayEquals(new int[]{23, 26, 29, 32}, plan.clips().get(1).frameIndices());
        assertArrayEquals(new int[]{35, 38, 38, 38}, plan.clips().get(2).frameIndices());
    }

    @Test
    void targetFpsTakesTheFirstFrameAtOrAfterEachTick() {
        // 24 fps -> 10 fps: ticks 0, 0.1, 0.2, ... ; frame i is at i/24 s.
        // tick 0.1 -> frame 3 (0.125); 0.2 -> 5 (0.208); 0.3 -> 8 (0.333); 0.4 -> 10 (0.417); 0.5 -> 12 (0.5)
        ClipPlan plan = ClipPlan.forConstantRate(48, 24,
                SamplingOptions.defaults().withTargetFps(10).withClipLength(8), 0, INF);
        assertArrayEquals(new int[]{0, 3, 5, 8, 10, 12, 15, 17}, plan.clips().get(0).frameIndices());
        assertEquals(20, plan.sampledFrames());
    }

    @Test
    void targetFpsAboveTheSourceRateUsesEachFrameOnce() {
        ClipPlan plan = ClipPlan.forConstantRate(20, 10,
                SamplingOptions.defaults().withTargetFps(25).withClipLength(20), 0, INF);
        assertArrayEquals(range(0, 19, 1), plan.clips().get(0).frameIndices());
    }

    @Test
    void windowEndIsExclusive() {
        ClipPlan plan = ClipPlan.forConstantRate(40, 10, SamplingOptions.defaults().withClipLength(5), 1.0, 2.0);
        assertEquals(2, plan.clips().size());
        assertArrayEquals(range(10, 14, 1), plan.clips().get(0).frameIndices());
        assertArrayEquals(range(15, 19, 1), plan.clips().get(1).frameIndices());
    }

    @Test
    void overlappingClipsShareFramesAndNoRedundantPartialClipFollows() {
        ClipPlan plan = ClipPlan.forConstantRate(8, 10,
                SamplingOptions.defaults().withClipLength(4).withClipStride(2), 0, INF);
        assertEquals(3, plan.clips().size());
        assertArrayEquals(new int[]{2, 3, 4, 5}, plan.clips().get(1).frameIndices());
        assertArrayEquals(new int[]{4, 5, 6, 7}, plan.clips().get(2).frameIndices());
    }

    @Test
    void clipStrideLargerThanClipLengthSkipsFramesBetweenClips() {
        ClipPlan plan = ClipPlan.forConstantRate(12, 10,
                SamplingOptions.defaults().withClipLength(3).withClipStride(5), 0, INF);
        assertEquals(3, plan.clips().size());
        assertArrayEquals(new int[]{5, 6, 7}, plan.clips().get(1).frameIndices());
        assertArrayEquals(new int[]{10, 11, 11}, plan.clips().get(2).frameIndices());
    }

    @Test
    void maxClipsStopsThePlanEarly() {
        ClipPlan plan = ClipPlan.forConstantRate(1000, 10, SamplingOptions.defaults().withMaxClipsPerVideo(2), 0, INF);
        assertEquals(2, plan.clips().size());
        assertEquals(32, plan.decodedFrames());
    }

    @Test
    void shortVideoUnderDropHasNoClips() {
        ClipPlan plan = ClipPlan.forConstantRate(5, 10,
                SamplingOptions.defaults().withLastClipPolicy(LastClipPolicy.DROP), 0, INF);
        assertTrue(plan.clips().isEmpty());
        assertEquals(5, plan.sampledFrames());
    }

    /** Properties over seeded random settings: shape of every clip, ordering, padding only last, coverage. */
    @Test
    void randomSettingsGiveWellFormedClipsThatCoverEverySampledFrame() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int trial = 0; trial < 300; trial++) {
            int n = rnd.nextInt(1, 120);
            int t = rnd.nextInt(1, 20);
            int stride = rnd.nextInt(0, t + 1); // overlapping or back-to-back, so every frame is covered
            SamplingOptions o = SamplingOptions.defaults().withClipLength(t).withClipStride(stride);
            o = switch (rnd.nextInt(3)) {
                case 0 -> o;
                case 1 -> o.withFrameStride(rnd.nextInt(1, 5));
                default -> o.withTargetFps(rnd.nextDouble(1, 40));
            };
            ClipPlan plan = ClipPlan.forConstantRate(n, 25, o, 0, INF);
            boolean[] covered = new boolean[n];
            List<ClipPlan.PlannedClip> clips = plan.clips();
            for (int c = 0; c < clips.size(); c++) {
                ClipPlan.PlannedClip clip = clips.get(c);
                assertEquals(c, clip.clipIndex());
                assertEquals(t, clip.frameIndices().length, o.toString());
                assertTrue(clip.paddedFrames() == 0 || c == clips.size() - 1, "padding only in the last clip");
                for (int i = 0; i < t; i++) {
                    assertEquals(clip.frameIndices()[i] / 25.0, clip.timestampsSec()[i], 1e-9);
                    if (i > 0) {
                        assertTrue(clip.frameIndices()[i] >= clip.frameIndices()[i - 1], o + " " + clip);
                    }
                    covered[clip.frameIndices()[i]] = true;
                }
            }
            int sampledCovered = 0;
            for (boolean b : covered) {
                sampledCovered += b ? 1 : 0;
            }
            assertEquals(plan.sampledFrames(), sampledCovered, "every sampled frame is in a clip: " + o);
        }
    }

    @Test
    void theConstantTimeEstimateEqualsThePlanItsFramesGive() {
        List<SamplingOptions> configs = List.of(SamplingOptions.defaults(), SamplingOptions.defaults().withClipLength(4),
                SamplingOptions.defaults().withClipLength(4).withClipStride(3),
                SamplingOptions.defaults().withClipLength(4).withClipStride(6),
                SamplingOptions.defaults().withFrameStride(3).withClipLength(5),
                SamplingOptions.defaults().withTargetFps(2).withClipLength(4),
                SamplingOptions.defaults().withTargetFps(7.5).withClipLength(3),
                SamplingOptions.defaults().withClipLength(4).withLastClipPolicy(LastClipPolicy.DROP),
                SamplingOptions.defaults().withClipLength(4).withMaxClipsPerVideo(3));
        for (SamplingOptions o : configs) {
            for (int frames : new int[] {0, 1, 3, 4, 5, 16, 17, 31, 100, 241}) {
                for (double fps : new double[] {24, 25, 29.97}) {
                    for (double[] w : new double[][] {{0, Double.POSITIVE_INFINITY}, {0.5, 3.0}, {1.0, 1.9}}) {
                        int planned = ClipPlan.forConstantRate(frames, fps, o, w[0], w[1]).clips().size();
                        assertEquals(planned, ClipPlan.estimateClips(frames, fps, o, w[0], w[1]),
                                o.describe() + " " + frames + " frames @ " + fps + " window " + w[0] + "-" + w[1]);
                    }
                }
            }
        }
    }
}
