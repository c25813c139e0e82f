package dev.autogaze.testing;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

import java.nio.file.Path;

/** Video files without a container index, for the paths where a frame count is only known by decoding. */
public final class RawStreams {

    private RawStreams() {
    }

    /** {@code video}'s frames re-encoded as a raw H.264 elementary stream (no container, so no frame count). */
    public static Path h264(Path video, Path raw, int fps) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile())) {
            g.start();
            try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(raw.toFile(), g.getImageWidth(),
                    g.getImageHeight())) {
                r.setFormat("h264");
                r.setVideoCodecName("libopenh264");
                r.setFrameRate(fps);
                r.start();
                for (Frame f = g.grabImage(); f != null; f = g.grabImage()) {
                    r.record(f);
                }
                r.stop();
            }
            g.stop();
        }
        return raw;
    }
}
