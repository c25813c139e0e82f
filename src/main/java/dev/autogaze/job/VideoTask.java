package dev.autogaze.job;

import dev.autogaze.video.EmbeddedVideo;
import dev.autogaze.video.VideoRef;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A listed video as the Spark job ships it to executors: the {@link VideoRef} fields in a Serializable record
 * (VideoRef itself is not Serializable).
 */
public record VideoTask(String videoId, String path, Double startSec, Double endSec, String split,
                        LinkedHashMap<String, String> extra, EmbeddedVideo member) implements Serializable {

    /** A task for a video that is a whole file. */
    public VideoTask(String videoId, String path, Double startSec, Double endSec, String split,
                     LinkedHashMap<String, String> extra) {
        this(videoId, path, startSec, endSec, split, extra, null);
    }

    public static VideoTask of(VideoRef ref) {
        return new VideoTask(ref.videoId(), ref.path(), ref.startSec(), ref.endSec(), ref.split(),
                new LinkedHashMap<>(ref.extra()), ref.member());
    }

    public VideoRef toRef() {
        return new VideoRef(videoId, path, startSec, endSec, split, extra, member);
    }

    public Map<String, String> extraOrEmpty() {
        return extra == null ? Map.of() : extra;
    }
}
