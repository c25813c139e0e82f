package dev.autogaze.video;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The clips a video yields under some {@link SamplingOptions}, without pixels: what `probe` prints and what tests
 * compare decoded clips against. Computed by the same {@link ClipAssembler} the decoder uses.
 *
 * @param clips          the planned clips in order
 * @param decodedFrames  frames looked at (the whole stream, or up to where the plan stopped)
 * @param sampledFrames  frames the sampling mode picked inside the window
 */
public record ClipPlan(List<PlannedClip> clips, int decodedFrames, long sampledFrames) {

    /** One planned clip: decoded frame indices and timestamps (padded entries repeat the last real frame). */
    public record PlannedClip(int clipIndex, int[] frameIndices, double[] timestampsSec, int paddedFrames) {
        @Override
        public boolean equals(Object o) {
            return o instanceof PlannedClip p && clipIndex == p.clipIndex && paddedFrames == p.paddedFrames
                    && Arrays.equals(frameIndices, p.frameIndices) && Arrays.equals(timestampsSec, p.timestampsSec);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(frameIndices) + clipIndex;
        }

        @Override
        public String toString() {
            return "clip " + clipIndex + ": frames " + Arrays.toString(frameIndices)
                    + (paddedFrames > 0 ? " (" + paddedFrames + " padded)" : "");
        }
    }

    public ClipPlan {
        clips = List.copyOf(clips);
    }

    /**
     * The plan for a stream whose decoded frames have these timestamps, in decode order.
     *
     * @param startSec window start (0 = from the beginning)
     * @param endSec   window end, exclusive ({@code Double.POSITIVE_INFINITY} = to the end)
     */
    public static ClipPlan fromTimestamps(double[] timestampsSec, SamplingOptions options, double startSec,
                                          double endSec) {
        ClipAssembler<Void> assembler = new ClipAssembler<>(options, startSec, endSec);
        List<PlannedClip> clips = new ArrayList<>();
        for (int i = 0; i < timestampsSec.length && !assembler.isFinished(); i++) {
            for (ClipAssembler.Clip<Void> c : assembler.offer(i, timestampsSec[i], () -> null)) {
                clips.add(planned(c));
            }
        }
        for (ClipAssembler.Clip<Void> c : assembler.finish()) {
            clips.add(planned(c));
        }
        return new ClipPlan(clips, assembler.decodedFrames(), assembler.sampledFrames());
    }

    /** The plan for a constant-rate stream of {@code frameCount} frames at {@code fps}, frame i at i / fps. */
    public static ClipPlan forConstantRate(int frameCount, double fps, SamplingOptions options, double startSec,
                                           double endSec) {
        if (frameCount < 0 || !(fps > 0)) {
            throw new IllegalArgumentException("frame count " + frameCount + " and fps " + fps
                    + " must be >= 0 and > 0");
        }
        double[] ts = new double[frameCount];
        for (int i = 0; i < frameCount; i++) {
            ts[i] = i / fps;
        }
        return fromTimestamps(ts, options, startSec, endSec);
    }

    /**
     * How many clips {@link #forConstantRate} would plan, in constant time: for the job's work estimates over
     * millions of videos, where building every plan would cost as much as the listing.
     */
    public static int estimateClips(long frameCount, double fps, SamplingOptions options, double startSec,
                                    double endSec) {
        if (frameCount <= 0 || !(fps > 0)) {
            return 0;
        }
        // frames i / fps with start - eps <= t < end - eps
        long first = Math.max(0, (long) Math.ceil((startSec - ClipAssembler.EPS_SEC) * fps - 1e-9));
        long last = Double.isInfinite(endSec) ? frameCount
                : Math.min(frameCount, (long) Math.ceil((endSec - ClipAssembler.EPS_SEC) * fps - 1e-9));
        long inWindow = Math.max(0, last - first);
        long sampled = switch (options.mode()) {
            case EVERY_FRAME -> inWindow;
            case STRIDE -> (inWindow + options.frameStride() - 1) / options.frameStride();
            case TARGET_FPS -> Math.min(inWindow, (long) Math.ceil(inWindow / fps * options.targetFps() - 1e-9));
        };
        int t = options.clipLength();
        int stride = options.effectiveClipStride();
        long clips;
        if (sampled == 0) {
            clips = 0;
        } else if (sampled < t) {
            clips = options.lastClipPolicy() == LastClipPolicy.DROP ? 0 : 1;
        } else {
            long full = (sampled - t) / stride + 1;
            long next = full * stride; // first ordinal of the next (partial) clip
            boolean partial = options.lastClipPolicy() == LastClipPolicy.REPEAT_LAST && next < sampled
                    && (full - 1) * stride + t - 1 < sampled - 1;
            clips = full + (partial ? 1 : 0);
        }
        if (options.maxClipsPerVideo() > 0) {
            clips = Math.min(clips, options.maxClipsPerVideo());
        }
        return (int) Math.min(Integer.MAX_VALUE, clips);
    }

    static PlannedClip planned(ClipAssembler.Clip<?> c) {
        return new PlannedClip(c.clipIndex(), c.frameIndices(), c.timestampsSec(), c.paddedFrames());
    }
}
