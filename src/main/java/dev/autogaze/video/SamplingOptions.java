package dev.autogaze.video;

import java.time.Duration;

/**
 * How a video becomes clips: which frames are sampled, how they are grouped into clips of T frames, and the limits
 * that keep one bad file from stalling a task.
 *
 * @param mode             EVERY_FRAME, TARGET_FPS or STRIDE
 * @param targetFps        sampling rate for TARGET_FPS (> 0), else 0
 * @param frameStride      n for STRIDE (>= 1), else 1
 * @param clipLength       T, frames per clip (>= 1)
 * @param clipStride       sampled frames between clip starts; 0 = T (back-to-back clips)
 * @param maxClipsPerVideo stop after this many clips; 0 = no limit
 * @param lastClipPolicy   REPEAT_LAST or DROP for the final partial clip
 * @param decodeTimeout    limit on the time spent decoding one video: opening it and producing its clips, not the
 *                         time a consumer spends between clips
 * @param maxFramePixels   a video whose width x height exceeds this is rejected at PROBE
 * @param decodeThreads    FFmpeg threads per decoded video; 0 = FFmpeg's choice (the job already decodes one video
 *                         per task core)
 * @param maxFramesPerVideo a video with more frames is rejected: at PROBE when its container says so, else when
 *                         decoding reaches frame n + 1; 0 = no cap
 */
public record SamplingOptions(SamplingMode mode, double targetFps, int frameStride, int clipLength, int clipStride,
                              int maxClipsPerVideo, LastClipPolicy lastClipPolicy, Duration decodeTimeout,
                              long maxFramePixels, int decodeThreads, long maxFramesPerVideo)
        implements java.io.Serializable {

    public static final int DEFAULT_CLIP_LENGTH = 16;
    public static final long DEFAULT_MAX_FRAME_PIXELS = 4096L * 4096L;

    public SamplingOptions {
        if (mode == null || lastClipPolicy == null || decodeTimeout == null) {
            throw new IllegalArgumentException("mode, lastClipPolicy and decodeTimeout must not be null");
        }
        if (mode == SamplingMode.TARGET_FPS) {
            if (!(targetFps > 0) || Double.isInfinite(targetFps)) {
                throw new IllegalArgumentException("target fps " + targetFps + " must be a positive finite number");
            }
        } else if (targetFps != 0) {
            throw new IllegalArgumentException("target fps " + targetFps + " given but mode is " + mode);
        }
        if (mode == SamplingMode.STRIDE) {
            if (frameStride < 1) {
                throw new IllegalArgumentException("frame stride " + frameStride + " must be >= 1");
            }
        } else if (frameStride != 1) {
            throw new IllegalArgumentException("frame stride " + frameStride + " given but mode is " + mode);
        }
        if (clipLength < 1) {
            throw new IllegalArgumentException("clip length " + clipLength + " must be >= 1");
        }
        if (clipStride < 0) {
            throw new IllegalArgumentException("clip stride " + clipStride + " must be >= 0 (0 = clip length)");
        }
        if (maxClipsPerVideo < 0) {
            throw new IllegalArgumentException("max clips per video " + maxClipsPerVideo + " must be >= 0 (0 = no limit)");
        }
        if (decodeTimeout.isNegative() || decodeTimeout.isZero()) {
            throw new IllegalArgumentException("decode timeout " + decodeTimeout + " must be positive");
        }
        if (maxFramePixels < 1) {
            throw new IllegalArgumentException("max frame pixels " + maxFramePixels + " must be >= 1");
        }
        if (decodeThreads < 0) {
            throw new IllegalArgumentException("decode threads " + decodeThreads + " must be >= 0 (0 = FFmpeg's choice)");
        }
        if (maxFramesPerVideo < 0) {
            throw new IllegalArgumentException("max frames per video " + maxFramesPerVideo + " must be >= 0 (0 = no cap)");
        }
    }

    /** Without a frame cap. */
    public SamplingOptions(SamplingMode mode, double targetFps, int frameStride, int clipLength, int clipStride,
                           int maxClipsPerVideo, LastClipPolicy lastClipPolicy, Duration decodeTimeout,
                           long maxFramePixels, int decodeThreads) {
        this(mode, targetFps, frameStride, clipLength, clipStride, maxClipsPerVideo, lastClipPolicy, decodeTimeout,
                maxFramePixels, decodeThreads, 0);
    }

    /** Every frame, T = 16, back-to-back clips, no clip limit, repeat-last, 120 s limit, 4096x4096 max, 1 thread. */
    public static SamplingOptions defaults() {
        return new SamplingOptions(SamplingMode.EVERY_FRAME, 0, 1, DEFAULT_CLIP_LENGTH, 0, 0,
                LastClipPolicy.REPEAT_LAST, Duration.ofSeconds(120), DEFAULT_MAX_FRAME_PIXELS, 1);
    }

    public SamplingOptions withEveryFrame() {
        return new SamplingOptions(SamplingMode.EVERY_FRAME, 0, 1, clipLength, clipStride, maxClipsPerVideo,
                lastClipPolicy, decodeTimeout, maxFramePixels, decodeThreads, maxFramesPerVideo);
    }

    public SamplingOptions withTargetFps(double fps) {
        return new SamplingOptions(SamplingMode.TARGET_FPS, fps, 1, clipLength, clipStride, maxClipsPerVideo,
                lastClipPolicy, decodeTimeout, maxFramePixels, decodeThreads, maxFramesPerVideo);
    }

    public SamplingOptions withFrameStride(int n) {
        return new SamplingOptions(SamplingMode.STRIDE, 0, n, clipLength, clipStride, maxClipsPerVideo,
                lastClipPolicy, decodeTimeout, maxFramePixels, decodeThreads, maxFramesPerVideo);
    }

    public SamplingOptions withClipLength(int t) {
        return new SamplingOptions(mode, targetFps, frameStride, t, clipStride, maxClipsPerVideo,
                lastClipPolicy, decodeTimeout, maxFramePixels, decodeThreads, maxFramesPerVideo);
    }

    public SamplingOptions withClipStride(int stride) {
        return new SamplingOptions(mode, targetFps, frameStride, clipLength, stride, maxClipsPerVideo,
                lastClipPolicy, decodeTimeout, maxFramePixels, decodeThreads, maxFramesPerVideo);
    }

    public SamplingOptions withMaxClipsPerVideo(int max) {
        return new SamplingOptions(mode, targetFps, frameStride, clipLength, clipStride, max,
                lastClipPolicy, decodeTimeout, maxFramePixels, decodeThreads, maxFramesPerVideo);
    }

    public SamplingOptions withLastClipPolicy(LastClipPolicy policy) {
        return new SamplingOptions(mode, targetFps, frameStride, clipLength, clipStride, maxClipsPerVideo,
                policy, decodeTimeout, maxFramePixels, decodeThreads, maxFramesPerVideo);
    }

    public SamplingOptions withDecodeTimeout(Duration timeout) {
        return new SamplingOptions(mode, targetFps, frameStride, clipLength, clipStride, maxClipsPerVideo,
                lastClipPolicy, timeout, maxFramePixels, decodeThreads, maxFramesPerVideo);
    }

    public SamplingOptions withMaxFramePixels(long max) {
        return new SamplingOptions(mode, targetFps, frameStride, clipLength, clipStride, maxClipsPerVideo,
                lastClipPolicy, decodeTimeout, max, decodeThreads, maxFramesPerVideo);
    }

    public SamplingOptions withDecodeThreads(int threads) {
        return new SamplingOptions(mode, targetFps, frameStride, clipLength, clipStride, maxClipsPerVideo,
                lastClipPolicy, decodeTimeout, maxFramePixels, threads, maxFramesPerVideo);
    }

    public SamplingOptions withMaxFramesPerVideo(long max) {
        return new SamplingOptions(mode, targetFps, frameStride, clipLength, clipStride, maxClipsPerVideo,
                lastClipPolicy, decodeTimeout, maxFramePixels, decodeThreads, max);
    }

    /** Sampled frames between the starts of consecutive clips (clipStride, or T when it is 0). */
    public int effectiveClipStride() {
        return clipStride == 0 ? clipLength : clipStride;
    }

    /** A one-line description for logs and `probe`, e.g. {@code every frame, T=16, stride 16, repeat_last}. */
    public String describe() {
        String sampling = switch (mode) {
            case EVERY_FRAME -> "every frame";
            case TARGET_FPS -> "target " + targetFps + " fps";
            case STRIDE -> "every " + frameStride + " frames";
        };
        return sampling + ", T=" + clipLength + ", clip stride " + effectiveClipStride()
                + (maxClipsPerVideo > 0 ? ", max " + maxClipsPerVideo + " clips" : "")
                + (maxFramesPerVideo > 0 ? ", max " + maxFramesPerVideo + " frames" : "")
                + ", last clip " + lastClipPolicy.name().toLowerCase(java.util.Locale.ROOT)
                + ", timeout " + decodeTimeout.toSeconds() + " s";
    }
}
