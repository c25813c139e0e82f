package dev.autogaze.job;

import dev.autogaze.video.DecodeStage;
import dev.autogaze.video.DecodedClip;
import dev.autogaze.video.RgbClip;
import dev.autogaze.video.VideoDecodeException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Hand-made clips and an opener over them, for processor tests without FFmpeg. */
final class TestClips {

    private TestClips() {
    }

    /** T frames of w x h: gray background, a bright 8x8 square moving right by `speed` px per frame. */
    static RgbClip movingSquare(int w, int h, int frames, int startX, int speed) {
        byte[][] f = new byte[frames][w * h * 3];
        for (int t = 0; t < frames; t++) {
            java.util.Arrays.fill(f[t], (byte) 60);
            int x0 = startX + t * speed;
            for (int y = h / 3; y < h / 3 + 8 && y < h; y++) {
                for (int x = x0; x < x0 + 8 && x < w; x++) {
                    for (int c = 0; c < 3; c++) {
                        f[t][(y * w + x) * 3 + c] = (byte) 240;
                    }
                }
            }
        }
        return new RgbClip(w, h, f);
    }

    static DecodedClip clip(String videoId, int index, RgbClip frames) {
        int t = frames.frameCount();
        int[] idx = new int[t];
        double[] ts = new double[t];
        for (int i = 0; i < t; i++) {
            idx[i] = index * t + i;
            ts[i] = idx[i] / 25.0;
        }
        return new DecodedClip(videoId, index, idx, ts, 0, frames, frames.width(), frames.height());
    }

    /** clips per video id; a video whose list ends with null fails at that point with a DECODE error. */
    static ClipOpener opener(Map<String, List<DecodedClip>> videos) {
        return video -> {
            List<DecodedClip> list = videos.get(video.videoId());
            if (list == null) {
                throw new VideoDecodeException(video.path(), DecodeStage.OPEN, "no such file " + video.path());
            }
            List<DecodedClip> copy = new ArrayList<>(list);
            return new ClipOpener.Clips() {
                int next;

                @Override
                public DecodedClip next() throws VideoDecodeException {
                    if (next >= copy.size()) {
                        return null;
                    }
                    DecodedClip c = copy.get(next++);
                    if (c == null) {
                        throw new VideoDecodeException(video.path(), DecodeStage.DECODE, "corrupt packet after clip "
                                + (next - 2));
                    }
                    return c;
                }

                @Override
                public void close() {
                }
            };
        };
    }

    static VideoTask task(String id) {
        return new VideoTask(id, "/data/" + id + ".mp4", null, null, null, new java.util.LinkedHashMap<>());
    }
}
