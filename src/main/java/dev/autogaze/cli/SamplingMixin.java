package dev.autogaze.cli;

import dev.autogaze.video.LastClipPolicy;
import dev.autogaze.video.SamplingOptions;
import picocli.CommandLine.Option;

import java.time.Duration;

/** The sampling options as command-line flags, shared by every subcommand that decodes video. */
public final class SamplingMixin {

    @Option(names = "--fps", description = "Sample at this rate (TARGET_FPS); default: every frame.")
    Double fps;

    @Option(names = "--frame-stride", description = "Sample every n-th frame (STRIDE); default: every frame.")
    Integer frameStride;

    @Option(names = "--clip-length", defaultValue = "16", description = "Frames per clip T (default ${DEFAULT-VALUE}).")
    int clipLength;

    @Option(names = "--clip-stride", defaultValue = "0",
            description = "Sampled frames between clip starts; 0 = clip length (default ${DEFAULT-VALUE}).")
    int clipStride;

    @Option(names = "--max-clips", defaultValue = "0", description = "Clips per video at most; 0 = no limit.")
    int maxClips;

    @Option(names = "--last-clip", defaultValue = "REPEAT_LAST",
            description = "Final partial clip: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    LastClipPolicy lastClip;

    @Option(names = "--decode-timeout-sec", defaultValue = "120", description = "Decode time limit per video.")
    double timeoutSec;

    @Option(names = "--max-frame-pixels", defaultValue = "16777216",
            description = "Reject videos with more pixels per frame (default ${DEFAULT-VALUE} = 4096x4096).")
    long maxFramePixels;

    @Option(names = "--max-frames-per-video", defaultValue = "0",
            description = "Reject videos with more frames (at probe when the container says so); 0 = no cap.")
    long maxFramesPerVideo;

    @Option(names = "--decode-threads", defaultValue = "1", description = "FFmpeg threads per decoded video; 0 = FFmpeg's choice (default ${DEFAULT-VALUE}).")
    int decodeThreads;

    /** The options these flags describe; invalid combinations fail with the options record's message. */
    public SamplingOptions toOptions() {
        if (fps != null && frameStride != null) {
            throw new IllegalArgumentException("--fps " + fps + " and --frame-stride " + frameStride
                    + " exclude each other");
        }
        SamplingOptions o = SamplingOptions.defaults();
        if (fps != null) {
            o = o.withTargetFps(fps);
        } else if (frameStride != null) {
            o = o.withFrameStride(frameStride);
        }
        return o.withClipLength(clipLength).withClipStride(clipStride).withMaxClipsPerVideo(maxClips)
                .withLastClipPolicy(lastClip).withDecodeTimeout(Duration.ofMillis(Math.round(timeoutSec * 1000)))
                .withMaxFramePixels(maxFramePixels).withDecodeThreads(decodeThreads)
                .withMaxFramesPerVideo(maxFramesPerVideo);
    }
}
