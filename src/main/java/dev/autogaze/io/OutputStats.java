package dev.autogaze.io;

import dev.autogaze.readout.VideoGeometry;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Totals of a clips table gathered in one pass over {@link ClipCoordinates}: for `jobs/autogaze inspect` and the
 * HTML report. Add clips with {@link #add}; nothing per token is kept.
 */
public final class OutputStats {

    /** Per-video totals. */
    public static final class Video {
        public String split;
        public int clips;
        public long tokens;
        public long realGazes;
        public double keepRatioSum;

        public double meanKeepRatio() {
            return clips == 0 ? Double.NaN : keepRatioSum / clips;
        }
    }

    private final Map<String, Video> videos = new TreeMap<>();
    private final Map<String, Integer> splits = new TreeMap<>();
    private final Map<String, Integer> grids = new TreeMap<>();
    private final Map<String, Integer> configs = new TreeMap<>();
    /** Clip indices seen per "video_id config_hash": a second row for one is a duplicate. */
    private final Map<String, BitSet> seen = new HashMap<>();
    private final List<String> duplicates = new ArrayList<>();
    private long duplicateRows;
    private int clips;
    private long tokens;
    private long realGazes;
    private long padGazes;
    private int minTokens = Integer.MAX_VALUE;
    private int maxTokens;
    private double minKeep = Double.POSITIVE_INFINITY;
    private double maxKeep;
    private double keepSum;

    public void add(ClipCoordinates c) {
        clips++;
        tokens += c.count();
        realGazes += c.stats().realGazes();
        padGazes += c.stats().padGazes();
        minTokens = Math.min(minTokens, c.count());
        maxTokens = Math.max(maxTokens, c.count());
        double k = c.stats().keepRatio();
        minKeep = Math.min(minKeep, k);
        maxKeep = Math.max(maxKeep, k);
        keepSum += k;
        Video v = videos.computeIfAbsent(c.videoId(), id -> new Video());
        v.split = c.split();
        v.clips++;
        v.tokens += c.count();
        v.realGazes += c.stats().realGazes();
        v.keepRatioSum += k;
        splits.merge(c.split() == null ? "(none)" : c.split(), 1, Integer::sum);
        VideoGeometry g = c.geometry();
        grids.merge(g.bins() + " x " + g.rows() + " x " + g.cols() + " (T=" + g.frames() + ", " + g.height() + "x"
                + g.width() + ", tubelet " + g.tubelet() + ", patch " + g.patch() + ")", 1, Integer::sum);
        configs.merge(c.gazeSource() + " " + c.configHash(), 1, Integer::sum);
        BitSet indices = seen.computeIfAbsent(c.videoId() + " " + c.configHash(), key -> new BitSet());
        if (c.clipIndex() >= 0 && indices.get(c.clipIndex())) {
            duplicateRows++;
            if (duplicates.size() < 10) {
                duplicates.add(c.videoId() + " clip " + c.clipIndex() + " (config " + c.configHash() + ")");
            }
        } else if (c.clipIndex() >= 0) {
            indices.set(c.clipIndex());
        }
    }

    /** Rows beyond the first for one (video_id, clip_index, config_hash): a clean output has none. */
    public long duplicateRows() {
        return duplicateRows;
    }

    /** The first few duplicated clips, as "video clip n (config h)". */
    public List<String> duplicateExamples() {
        return List.copyOf(duplicates);
    }

    public int clips() {
        return clips;
    }

    public long tokens() {
        return tokens;
    }

    public long realGazes() {
        return realGazes;
    }

    public long padGazes() {
        return padGazes;
    }

    public int minTokens() {
        return clips == 0 ? 0 : minTokens;
    }

    public int maxTokens() {
        return maxTokens;
    }

    public double meanTokens() {
        return clips == 0 ? Double.NaN : (double) tokens / clips;
    }

    public double minKeepRatio() {
        return clips == 0 ? Double.NaN : minKeep;
    }

    public double maxKeepRatio() {
        return clips == 0 ? Double.NaN : maxKeep;
    }

    public double meanKeepRatio() {
        return clips == 0 ? Double.NaN : keepSum / clips;
    }

    /** video id -> totals, by id. */
    public Map<String, Video> videos() {
        return videos;
    }

    /** split -> clips ("(none)" for rows without a split). */
    public Map<String, Integer> splits() {
        return splits;
    }

    /** token grid description -> clips. */
    public Map<String, Integer> grids() {
        return grids;
    }

    /** "gaze_source config_hash" -> clips (more than one entry means mixed runs in one folder). */
    public Map<String, Integer> configs() {
        return configs;
    }
}
