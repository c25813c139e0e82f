package dev.autogaze.video;

import org.bytedeco.javacv.Frame;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The frames a video really decodes to, found by decoding without RGB conversion: the true frame count and
 * timestamps (the container's numbers are estimates, and wrong for variable-frame-rate files), from which
 * {@link ClipPlan} derives the exact clips a decode would produce.
 *
 * @param info          what the container says
 * @param timestampsSec timestamp of every decoded frame, in decode order
 */
public record VideoScan(VideoInfo info, double[] timestampsSec) {

    /** Decodes the whole video once (no pixel conversion), within the options' time and size limits. */
    public static VideoScan of(Path localFile, String displayPath, SamplingOptions options)
            throws VideoDecodeException {
        try (OpenedVideo video = OpenedVideo.open(localFile, displayPath, options)) {
            // The container's count is a hint from an untrusted header: start from it, at most 64 Ki, and grow.
            double[] ts = new double[Math.max(16, Math.min(1 << 16, video.info().frameCount() + 8))];
            int n = 0;
            for (Frame f = video.grab(false); f != null; f = video.grab(false)) {
                if (n == ts.length) {
                    ts = Arrays.copyOf(ts, ts.length * 2);
                }
                ts[n++] = video.timestampSec(f);
            }
            return new VideoScan(video.info(), Arrays.copyOf(ts, n));
        }
    }

    public int frameCount() {
        return timestampsSec.length;
    }

    /** Mean frame rate over the decoded frames (NaN with fewer than two frames). */
    public double measuredFps() {
        int n = timestampsSec.length;
        return n < 2 ? Double.NaN : (n - 1) / (timestampsSec[n - 1] - timestampsSec[0]);
    }

    /** True when some frame interval differs from the median interval by more than 10 %. */
    public boolean variableFrameRate() {
        int n = timestampsSec.length;
        if (n < 3) {
            return false;
        }
        double[] d = new double[n - 1];
        for (int i = 1; i < n; i++) {
            d[i - 1] = timestampsSec[i] - timestampsSec[i - 1];
        }
        double[] sorted = d.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        for (double x : d) {
            if (Math.abs(x - median) > 0.1 * median + ClipAssembler.EPS_SEC) {
                return true;
            }
        }
        return false;
    }

    /** The clips a decode of this video with these options and window would produce. */
    public ClipPlan plan(SamplingOptions options, double startSec, double endSec) {
        return ClipPlan.fromTimestamps(timestampsSec, options, startSec, endSec);
    }
}
