package dev.autogaze.video;

import java.util.List;

/**
 * What the container says about a video before any frame is decoded (`probe` prints it). Frame count and fps are
 * the container's claims; {@link VideoScan} counts the frames that really decode.
 *
 * @param path          the path as given
 * @param container     FFmpeg's demuxer name, e.g. {@code mov,mp4,m4a,3gp,3g2,mj2}
 * @param durationSec   container duration in seconds, or NaN when unknown
 * @param width         video width in pixels
 * @param height        video height in pixels
 * @param fps           the stream's frame rate as FFmpeg guesses it, or NaN when unknown
 * @param frameCount    frames the container claims (or estimates from duration x fps); 0 when unknown
 * @param videoCodec    codec name of the video stream, e.g. {@code h264}
 * @param streams       every stream of the container
 */
public record VideoInfo(String path, String container, double durationSec, int width, int height, double fps,
                        int frameCount, String videoCodec, List<StreamInfo> streams) {

    /** One stream of the container: its index, media type ({@code video}, {@code audio}, ...) and codec. */
    public record StreamInfo(int index, String type, String codec, String details) {
        @Override
        public String toString() {
            return "#" + index + " " + type + " " + codec + (details.isEmpty() ? "" : " " + details);
        }
    }

    public VideoInfo {
        streams = List.copyOf(streams);
    }
}
