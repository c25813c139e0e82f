package dev.autogaze.video;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One video of a dataset: where it is, the stable id its output rows carry, an optional time window and split,
 * and the manifest's extra columns, which pass through to the output unchanged and in order. Serializable, so a
 * driver can parallelize a list of them into Spark tasks.
 *
 * @param videoId  stable id: from the manifest, else derived from the path (see {@link #idFromPath})
 * @param path     a Hadoop path or URI ({@code file:}, {@code hdfs:}, {@code s3a:}, or a plain local path)
 * @param startSec window start in seconds, or null for the beginning
 * @param endSec   window end in seconds (exclusive), or null for the end
 * @param split    dataset split such as {@code train}, or null
 * @param extra    other manifest columns, in manifest order (values may be null)
 * @param member   where in {@code path} the video's bytes are when {@code path} holds many videos (a WebDataset
 *                 tar shard, a Parquet table of video bytes), else null
 */
public record VideoRef(String videoId, String path, Double startSec, Double endSec, String split,
                       Map<String, String> extra, EmbeddedVideo member) implements java.io.Serializable {

    /** A video that is a whole file. */
    public VideoRef(String videoId, String path, Double startSec, Double endSec, String split,
                    Map<String, String> extra) {
        this(videoId, path, startSec, endSec, split, extra, null);
    }

    public VideoRef {
        if (videoId == null || videoId.isBlank()) {
            throw new IllegalArgumentException("video_id must not be blank (path " + path + ")");
        }
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("path must not be blank (video_id " + videoId + ")");
        }
        if (startSec != null && (!(startSec >= 0) || startSec.isInfinite())) {
            throw new IllegalArgumentException("start_sec " + startSec + " of " + videoId + " must be finite and >= 0");
        }
        if (endSec != null && (!(endSec > 0) || endSec.isInfinite())) {
            throw new IllegalArgumentException("end_sec " + endSec + " of " + videoId + " must be finite and > 0");
        }
        if (startSec != null && endSec != null && !(endSec > startSec)) {
            throw new IllegalArgumentException("end_sec " + endSec + " of " + videoId + " must be after start_sec "
                    + startSec);
        }
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra == null ? Map.of() : extra));
    }

    /** A whole video with the id derived from its path. */
    public static VideoRef of(String path) {
        return new VideoRef(idFromPath(path), path, null, null, null, Map.of());
    }

    /** Schemes whose authority is a cluster address, not part of the name: dropped from derived ids. */
    private static final java.util.Set<String> CLUSTER_SCHEMES = java.util.Set.of("file", "hdfs", "viewfs", "webhdfs");

    /**
     * The id a path gets when no manifest names one: the path without its scheme, and without the authority
     * when that is a cluster address ({@code hdfs://nn:8020/data/a/b.mp4} and {@code /data/a/b.mp4} both become
     * {@code data/a/b.mp4}); an object store's bucket stays ({@code s3a://bkt/k.mp4} becomes {@code bkt/k.mp4}).
     * Listing a directory uses the path relative to the listed root instead, so moving the dataset keeps its ids.
     */
    public static String idFromPath(String path) {
        String p = path;
        int scheme = p.indexOf(":");
        if (scheme > 0 && p.substring(0, scheme).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            boolean clusterScheme = CLUSTER_SCHEMES.contains(p.substring(0, scheme).toLowerCase(java.util.Locale.ROOT));
            p = p.substring(scheme + 1);
            if (p.startsWith("//") && clusterScheme) {
                int slash = p.indexOf('/', 2);
                p = slash < 0 ? "" : p.substring(slash);
            }
        }
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.startsWith("./")) {
            p = p.substring(2);
        }
        if (p.isBlank()) {
            throw new IllegalArgumentException("path " + path + " has no file part to derive a video_id from");
        }
        return p;
    }

    /** Window start in seconds (0 when none). */
    public double windowStartSec() {
        return startSec == null ? 0.0 : startSec;
    }

    /** Window end in seconds ({@code +Infinity} when none). */
    public double windowEndSec() {
        return endSec == null ? Double.POSITIVE_INFINITY : endSec;
    }

    public VideoRef withVideoId(String id) {
        return new VideoRef(id, path, startSec, endSec, split, extra, member);
    }

    public VideoRef withWindow(Double start, Double end) {
        return new VideoRef(videoId, path, start, end, split, extra, member);
    }
}
