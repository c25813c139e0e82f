package dev.autogaze.job;

import dev.autogaze.io.ClipRow;
import dev.autogaze.video.DecodeStage;
import dev.autogaze.video.DecodedClip;
import dev.autogaze.video.RgbClip;
import dev.autogaze.video.VideoDecodeException;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
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

    /** n clips of 4 frames of w x h, the square starting further right in each clip. */
    static List<DecodedClip> clips(String id, int n, int w, int h) {
        List<DecodedClip> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(clip(id, i, movingSquare(w, h, 4, 3 + 5 * i, 6)));
        }
        return list;
    }

    /** Marker bytes in a clip's first pixel that {@code ClipPipelineTest.Poisonable} reacts to. */
    static final byte FAILS_GAZE = 13;
    static final byte FAILS_READOUT = 14;

    /** The same clip with the marker byte {@link #FAILS_GAZE} in its first pixel. */
    static DecodedClip poisoned(DecodedClip c) {
        return marked(c, FAILS_GAZE);
    }

    /** The same clip with the marker byte {@link #FAILS_READOUT} in its first pixel. */
    static DecodedClip poisonedForReadout(DecodedClip c) {
        return marked(c, FAILS_READOUT);
    }

    private static DecodedClip marked(DecodedClip c, byte marker) {
        byte[][] frames = c.frames().frames().clone();
        frames[0] = frames[0].clone();
        frames[0][0] = marker;
        return new DecodedClip(c.videoId(), c.clipIndex(), c.frameIndices(), c.timestampsSec(), c.paddedFrames(),
                new RgbClip(c.frames().width(), c.frames().height(), frames), c.sourceWidth(), c.sourceHeight());
    }

    static boolean isMarked(RgbClip clip, byte marker) {
        return clip.frames()[0][0] == marker;
    }

    /**
     * {@code inner}, except that clip {@code index} of video {@code videoId} comes marked ({@link #poisoned} or
     * {@link #poisonedForReadout}); real decoders' clips can be poisoned this way.
     */
    static ClipOpener marking(ClipOpener inner, String videoId, int index, byte marker) {
        return video -> {
            ClipOpener.Clips clips = inner.open(video);
            if (!video.videoId().equals(videoId)) {
                return clips;
            }
            return new ClipOpener.Clips() {
                @Override
                public DecodedClip next() throws dev.autogaze.video.VideoDecodeException {
                    DecodedClip c = clips.next();
                    return c != null && c.clipIndex() == index ? marked(c, marker) : c;
                }

                @Override
                public void recycle(DecodedClip clip) {
                    if (!isMarked(clip.frames(), marker)) {
                        clips.recycle(clip); // a marked copy's arrays are not the stream's own
                    }
                }

                @Override
                public void close() {
                    clips.close();
                }
            };
        };
    }

    /** Every column of a row as text (arrays element by element), for comparisons of whole rows. */
    static String allColumns(ClipRow row) {
        StringBuilder sb = new StringBuilder();
        for (RecordComponent c : ClipRow.class.getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(row);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            sb.append(c.getName()).append('=').append(Arrays.deepToString(new Object[] {v})).append('\n');
        }
        return sb.toString();
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

    /** A job output's clip rows by "video_id#clip", for comparisons that must not depend on file order. */
    static java.util.Map<String, org.apache.spark.sql.Row> byClip(org.apache.spark.sql.SparkSession spark,
                                                                  String clipsPath) {
        java.util.Map<String, org.apache.spark.sql.Row> m = new java.util.TreeMap<>();
        for (org.apache.spark.sql.Row r : spark.read().parquet(clipsPath).collectAsList()) {
            m.put(r.getString(r.fieldIndex("video_id")) + "#" + r.getInt(r.fieldIndex("clip_index")), r);
        }
        return m;
    }
}
