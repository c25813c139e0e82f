package dev.autogaze.video;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The one place that decides which decoded frames are sampled and how they group into clips. The decoder feeds it
 * real frames and `probe` feeds it bare timestamps, so the plan that `probe` prints is the plan the job decodes.
 * Frames are offered in decode order; only frames some clip still needs are buffered, so memory stays at about
 * one clip however long the video is.
 *
 * @param <F> the per-frame payload (RGB bytes when decoding, nothing when planning)
 */
final class ClipAssembler<F> {

    /** Timestamps in containers are rounded (often to 1 ms); ticks and window edges allow this much slack. */
    static final double EPS_SEC = 1e-3;

    /** A finished clip: T decoded frame indices, their timestamps and payloads; padded entries repeat the last. */
    record Clip<F>(int clipIndex, int[] frameIndices, double[] timestampsSec, List<F> frames, int paddedFrames) {
    }

    private record Entry<F>(long ordinal, int frameIndex, double tsSec, F payload) {
    }

    private final SamplingOptions options;
    private final double startSec;
    private final double endSec;
    private final int clipStride;
    /** Clips before this one are counted but not built (a range of a split video). */
    private final int firstClip;
    /** No clip from this one on (exclusive end), or 0 for no end; folds in maxClipsPerVideo. */
    private final int endClip;
    private final ArrayDeque<Entry<F>> buffer = new ArrayDeque<>();
    private int windowFirstIndex = -1;
    private long tickNo;
    private long sampled;
    private int decoded;
    private int nextClip;
    private boolean finished;

    /**
     * @param startSec first second of the window (inclusive), 0 for the whole video
     * @param endSec   end of the window (exclusive), {@code Double.POSITIVE_INFINITY} for the whole video
     */
    ClipAssembler(SamplingOptions options, double startSec, double endSec) {
        this(options, startSec, endSec, 0, 0);
    }

    /**
     * Only clips {@code firstClip} (inclusive) to {@code endClip} (exclusive; 0 = to the end) of the video: the same
     * clips, indices and frames as the whole video gives for that range. Frames only earlier clips use are passed over
     * without their payload.
     */
    ClipAssembler(SamplingOptions options, double startSec, double endSec, int firstClip, int endClip) {
        if (firstClip < 0 || endClip < 0 || (endClip > 0 && endClip <= firstClip)) {
            throw new IllegalArgumentException("clip range [" + firstClip + ", " + endClip + ") is empty or negative");
        }
        int max = options.maxClipsPerVideo();
        this.firstClip = firstClip;
        this.endClip = max > 0 ? (endClip > 0 ? Math.min(endClip, max) : max) : endClip;
        if (!(startSec >= 0) || Double.isInfinite(startSec)) {
            throw new IllegalArgumentException("window start " + startSec + " s must be finite and >= 0");
        }
        if (!(endSec > startSec)) {
            throw new IllegalArgumentException("window end " + endSec + " s must be after start " + startSec + " s");
        }
        this.options = options;
        this.startSec = startSec;
        this.endSec = endSec;
        this.clipStride = options.effectiveClipStride();
    }

    /** True once no further frame can change the result (clip limit reached or window end passed). */
    boolean isFinished() {
        return finished;
    }

    int decodedFrames() {
        return decoded;
    }

    long sampledFrames() {
        return sampled;
    }

    int clipsEmitted() {
        return nextClip;
    }

    /** Frames currently held for unfinished clips (at most T with overlapping or back-to-back clips). */
    int buffered() {
        return buffer.size();
    }

    /**
     * False only when the frame with this decode index certainly will not be sampled, so its pixels need not be
     * converted (STRIDE mode once the window has started).
     */
    boolean mayKeep(int frameIndex) {
        if (finished) {
            return false;
        }
        if (options.mode() == SamplingMode.STRIDE && windowFirstIndex >= 0) {
            return (frameIndex - windowFirstIndex) % options.frameStride() == 0;
        }
        return true;
    }

    /**
     * Offers the next decoded frame. The payload supplier is called only if a clip needs the frame.
     *
     * @return the clip this frame completed, if any (clip c completes at sampled frame c*S+T-1, so at most one)
     */
    List<Clip<F>> offer(int frameIndex, double tsSec, Supplier<F> payload) {
        decoded++;
        if (finished) {
            return List.of();
        }
        if (tsSec >= endSec - EPS_SEC) {
            finished = true;
            return List.of();
        }
        if (tsSec < startSec - EPS_SEC) {
            return List.of();
        }
        if (windowFirstIndex < 0) {
            windowFirstIndex = frameIndex;
        }
        if (!selected(frameIndex, tsSec)) {
            return List.of();
        }
        long ordinal = sampled++;
        boolean inRange = ordinal >= (long) firstClip * clipStride;
        if (inRange && (clipStride <= options.clipLength() || ordinal % clipStride < options.clipLength())) {
            buffer.addLast(new Entry<>(ordinal, frameIndex, tsSec, payload.get()));
        }
        List<Clip<F>> done = new ArrayList<>(1);
        while (!finished && (long) nextClip * clipStride + options.clipLength() - 1 <= ordinal) {
            if (nextClip < firstClip) {
                nextClip++; // before the range: complete, but not built
                continue;
            }
            done.add(build(ordinal));
        }
        return done;
    }

    /** Called at end of stream: the partial last clip under REPEAT_LAST, or nothing. */
    List<Clip<F>> finish() {
        if (finished && endClip > 0 && nextClip >= endClip) {
            return List.of();
        }
        finished = true;
        if (options.lastClipPolicy() == LastClipPolicy.DROP || sampled == 0) {
            return List.of();
        }
        long last = sampled - 1;
        boolean covered = nextClip > 0 && (long) (nextClip - 1) * clipStride + options.clipLength() - 1 >= last;
        if (covered || (long) nextClip * clipStride > last || nextClip < firstClip) {
            // the remaining frames are in an emitted clip, fall between clips (stride > T), or before the range
            return List.of();
        }
        return List.of(build(last));
    }

    private boolean selected(int frameIndex, double tsSec) {
        switch (options.mode()) {
            case EVERY_FRAME:
                return true;
            case STRIDE:
                return (frameIndex - windowFirstIndex) % options.frameStride() == 0;
            case TARGET_FPS:
                if (tsSec + EPS_SEC < tick()) {
                    return false;
                }
                while (tick() <= tsSec + EPS_SEC) {
                    tickNo++;
                }
                return true;
            default:
                throw new IllegalStateException("unknown mode " + options.mode());
        }
    }

    private double tick() {
        return startSec + tickNo / options.targetFps();
    }

    /** Builds clip nextClip from the buffer using ordinals up to {@code lastOrdinal}, padding if it is short. */
    private Clip<F> build(long lastOrdinal) {
        int t = options.clipLength();
        long first = (long) nextClip * clipStride;
        int[] indices = new int[t];
        double[] ts = new double[t];
        List<F> frames = new ArrayList<>(t);
        int n = 0;
        for (Entry<F> e : buffer) {
            if (e.ordinal() >= first && e.ordinal() <= lastOrdinal && n < t) {
                indices[n] = e.frameIndex();
                ts[n] = e.tsSec();
                frames.add(e.payload());
                n++;
            }
        }
        if (n == 0) {
            throw new IllegalStateException("clip " + nextClip + " has no buffered frames");
        }
        int padded = t - n;
        for (int i = n; i < t; i++) {
            indices[i] = indices[n - 1];
            ts[i] = ts[n - 1];
            frames.add(frames.get(n - 1));
        }
        Clip<F> clip = new Clip<>(nextClip, indices, ts, frames, padded);
        nextClip++;
        long keepFrom = (long) nextClip * clipStride;
        for (Iterator<Entry<F>> it = buffer.iterator(); it.hasNext(); ) {
            if (it.next().ordinal() < keepFrom) {
                it.remove();
            } else {
                break;
            }
        }
        if (endClip > 0 && nextClip >= endClip) {
            finished = true;
        }
        return clip;
    }
}
