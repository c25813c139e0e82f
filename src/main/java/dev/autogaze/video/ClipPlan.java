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

    static PlannedClip planned(ClipAssembler.Clip<?> c) {
        return new PlannedClip(c.clipIndex(), c.frameIndices(), c.timestampsSec(), c.paddedFrames());
    }
}
