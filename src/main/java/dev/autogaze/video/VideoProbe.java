package dev.autogaze.video;

import org.apache.hadoop.conf.Configuration;

import java.net.URI;
import java.nio.file.Path;

/**
 * A cheap estimate of a video's clips from its container header alone (frame count, or duration times frame rate),
 * for spreading work over tasks before any decoding. Never decodes the video, never copies a remote file.
 */
public final class VideoProbe {

    private VideoProbe() {
    }

    /** True when probing costs a header read: a local file or a shard member (not a remote file, not a table cell). */
    public static boolean isCheap(VideoRef ref) {
        if (ref.member() != null) {
            return ref.member() instanceof TarIndex.Member;
        }
        try {
            String scheme = URI.create(new org.apache.hadoop.fs.Path(ref.path()).toUri().toString()).getScheme();
            return scheme == null || scheme.equals("file");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The clips the container header promises under {@code options} (see {@link ClipPlan#estimateClips}), or null
     * when the header does not say or the video does not open (its decode will report why).
     */
    public static Integer clips(VideoRef ref, SamplingOptions options, Configuration conf, Path tmpDir) {
        try (LocalVideoFile v = LocalVideoFile.open(ref, conf, tmpDir);
             OpenedVideo video = OpenedVideo.open(v, ref.path(), options)) {
            VideoInfo info = video.info();
            double fps = info.fps() > 0 ? info.fps() : 25;
            long frames = info.frameCount() > 0 ? info.frameCount()
                    : info.durationSec() > 0 ? Math.round(info.durationSec() * fps) : 0;
            return frames <= 0 ? null
                    : ClipPlan.estimateClips(frames, fps, options, ref.windowStartSec(), ref.windowEndSec());
        } catch (VideoDecodeException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The clips a manifest row's own columns promise: {@code frames} (or {@code num_frames}) with {@code fps}, or
     * {@code duration_sec} (or {@code duration}) with {@code fps}; with frames but no fps, 25 fps is assumed (it only
     * matters for windows and TARGET_FPS). Null when the row has no such columns or they are not numbers.
     */
    public static Integer clipsFromColumns(java.util.Map<String, String> columns, SamplingOptions options,
                                           double startSec, double endSec) {
        Double frames = number(columns, "frames", "num_frames");
        Double fps = number(columns, "fps", "frame_rate");
        Double duration = number(columns, "duration_sec", "duration");
        if (frames == null && (duration == null || fps == null)) {
            return null;
        }
        double rate = fps != null && fps > 0 ? fps : 25;
        long n = frames != null ? Math.round(frames) : Math.round(duration * rate);
        return n <= 0 ? null : ClipPlan.estimateClips(n, rate, options, startSec, endSec);
    }

    private static Double number(java.util.Map<String, String> columns, String... names) {
        for (String n : names) {
            String v = columns.get(n);
            if (v != null && !v.isBlank()) {
                try {
                    double d = Double.parseDouble(v.trim());
                    if (Double.isFinite(d)) {
                        return d;
                    }
                } catch (NumberFormatException e) {
                    // not a number: no estimate from it
                }
            }
        }
        return null;
    }
}
