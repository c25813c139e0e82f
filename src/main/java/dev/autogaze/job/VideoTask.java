package dev.autogaze.job;

import dev.autogaze.video.EmbeddedVideo;
import dev.autogaze.video.VideoRef;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A listed video as the Spark job ships it to executors: the {@link VideoRef} fields in a Serializable record, and
 * the range of its clips this task makes when a long video is split across tasks ({@code clipFrom}, {@code clipTo};
 * 0, 0 for all of them).
 */
public record VideoTask(String videoId, String path, Double startSec, Double endSec, String split,
                        LinkedHashMap<String, String> extra, EmbeddedVideo member, int clipFrom, int clipTo)
        implements Serializable {

    /** A task for a video that is a whole file. */
    public VideoTask(String videoId, String path, Double startSec, Double endSec, String split,
                     LinkedHashMap<String, String> extra) {
        this(videoId, path, startSec, endSec, split, extra, null, 0, 0);
    }

    public VideoTask {
        if (clipFrom < 0 || clipTo < 0 || (clipTo > 0 && clipTo <= clipFrom)) {
            throw new IllegalArgumentException("clip range [" + clipFrom + ", " + clipTo + ") of " + videoId
                    + " is empty or negative");
        }
    }

    public static VideoTask of(VideoRef ref) {
        return new VideoTask(ref.videoId(), ref.path(), ref.startSec(), ref.endSec(), ref.split(),
                new LinkedHashMap<>(ref.extra()), ref.member(), 0, 0);
    }

    /** Clips {@code from} (inclusive) to {@code to} (exclusive, 0 = the end) of this video only. */
    public VideoTask withClipRange(int from, int to) {
        return new VideoTask(videoId, path, startSec, endSec, split, extra, member, from, to);
    }

    /** True when this task is one range of a video split across tasks. */
    public boolean isRange() {
        return clipFrom > 0 || clipTo > 0;
    }

    public VideoRef toRef() {
        return new VideoRef(videoId, path, startSec, endSec, split, extra, member);
    }

    public Map<String, String> extraOrEmpty() {
        return extra == null ? Map.of() : extra;
    }
}
