package dev.autogaze.job;

import dev.autogaze.io.ErrorRow;
import dev.autogaze.video.TableCell;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * How a run's videos become Spark tasks so that task times are even: work is counted in estimated clips, not
 * videos; a video longer than a threshold is split into clip ranges (each range gives exactly the rows of those
 * clips of the whole video); waves never cut a shard, a table row group or a split video; and each wave's units go
 * to partitions longest first, each to the least loaded (LPT). Pure functions: tested without Spark.
 */
public final class WorkPlan {

    private WorkPlan() {
    }

    /**
     * What must stay in one task: the shard of a WebDataset member, the file and row group of a table cell, else
     * the video itself.
     */
    public static String group(VideoTask t) {
        if (t.member() instanceof TableCell c) {
            return t.path() + "#" + c.rowGroup();
        }
        return t.member() != null ? t.path() : "video:" + t.videoId();
    }

    /**
     * The tasks with every video whose estimate exceeds {@code maxClips} split into ranges of about equal size, at
     * most {@code maxClips} clips each; the last range runs to the end, so an estimate below the truth loses nothing.
     * Videos inside a shard or table are not split (one shard, one task). {@code maxClips} 0: no splitting.
     */
    public static List<VideoTask> split(List<VideoTask> tasks, Map<String, Integer> clips, int maxClips) {
        if (maxClips <= 0) {
            return tasks;
        }
        List<VideoTask> out = new ArrayList<>(tasks.size());
        for (VideoTask t : tasks) {
            int n = clips.getOrDefault(t.videoId(), 0);
            if (n <= maxClips || t.member() != null || t.isRange()) {
                out.add(t);
                continue;
            }
            int ranges = (n + maxClips - 1) / maxClips;
            for (int r = 0; r < ranges; r++) {
                int from = (int) ((long) n * r / ranges);
                int to = r == ranges - 1 ? 0 : (int) ((long) n * (r + 1) / ranges);
                out.add(t.withClipRange(from, to));
            }
        }
        return out;
    }

    /**
     * The automatic split threshold: a quarter of an even share per partition of a wave's estimated clips (waves of
     * {@code perWave} tasks are partitioned one at a time), at least 8 clips. Pieces that small leave longest-first
     * placement within about a quarter share of even; each range decodes the video from its start, so finer costs
     * decoding.
     */
    public static int autoSplit(Map<String, Integer> clips, List<VideoTask> tasks, int partitions, int perWave) {
        long total = 0;
        for (VideoTask t : tasks) {
            total += clips.getOrDefault(t.videoId(), 0);
        }
        long waves = Math.max(1, (tasks.size() + (long) perWave - 1) / perWave);
        return (int) Math.max(8, total / waves / Math.max(1, 4L * partitions));
    }

    /**
     * Cuts tasks (in order) into waves of about {@code perWave} tasks, never between two tasks of one group or two
     * ranges of one video, so a wave commits whole shards and whole videos (resume skips them by id).
     */
    public static List<List<VideoTask>> waves(List<VideoTask> tasks, int perWave) {
        List<List<VideoTask>> waves = new ArrayList<>();
        List<VideoTask> wave = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            VideoTask t = tasks.get(i);
            boolean sameUnit = !wave.isEmpty() && (group(t).equals(group(wave.get(wave.size() - 1)))
                    || t.videoId().equals(wave.get(wave.size() - 1).videoId()));
            if (wave.size() >= perWave && !sameUnit) {
                waves.add(wave);
                wave = new ArrayList<>();
            }
            wave.add(t);
        }
        if (!wave.isEmpty()) {
            waves.add(wave);
        }
        return waves;
    }

    /**
     * One wave's tasks in at most {@code n} partitions: groups stay together; units go longest first to the
     * partition with the least estimated clips (ties: the lower partition); within a partition, tasks keep their
     * listing order (a shard is read front to back). A task's weight is its range's share of the video's estimate;
     * a video without an estimate weighs the median of the known ones (1 if none is known).
     */
    public static List<List<VideoTask>> partitions(List<VideoTask> tasks, Map<String, Integer> clips, int n) {
        double unknown = median(tasks, clips);
        Map<String, List<Integer>> units = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            VideoTask t = tasks.get(i);
            String key = t.isRange() ? "range:" + t.videoId() + "@" + t.clipFrom() : group(t);
            units.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        List<double[]> weighted = new ArrayList<>(); // {weight, unit number}
        List<List<Integer>> unitList = new ArrayList<>(units.values());
        for (int u = 0; u < unitList.size(); u++) {
            double w = 0;
            for (int i : unitList.get(u)) {
                w += weight(tasks.get(i), clips, unknown);
            }
            weighted.add(new double[] {w, u});
        }
        weighted.sort(Comparator.<double[]>comparingDouble(a -> -a[0]).thenComparingDouble(a -> a[1]));
        int bins = Math.max(1, Math.min(n, unitList.size()));
        PriorityQueue<double[]> load = new PriorityQueue<>(Comparator.<double[]>comparingDouble(a -> a[0])
                .thenComparingDouble(a -> a[1]));
        for (int b = 0; b < bins; b++) {
            load.add(new double[] {0, b});
        }
        List<List<Integer>> members = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            members.add(new ArrayList<>());
        }
        for (double[] u : weighted) {
            double[] bin = load.poll();
            members.get((int) bin[1]).addAll(unitList.get((int) u[1]));
            bin[0] += u[0];
            load.add(bin);
        }
        List<List<VideoTask>> out = new ArrayList<>();
        for (List<Integer> m : members) {
            if (m.isEmpty()) {
                continue;
            }
            int[] idx = m.stream().mapToInt(Integer::intValue).toArray();
            Arrays.sort(idx);
            List<VideoTask> p = new ArrayList<>(idx.length);
            for (int i : idx) {
                p.add(tasks.get(i));
            }
            out.add(p);
        }
        return out;
    }

    /** The estimated clips of one task: the whole video's estimate, or its range's part of it. */
    static double weight(VideoTask t, Map<String, Integer> clips, double unknown) {
        Integer n = clips.get(t.videoId());
        double whole = n == null ? unknown : n;
        if (!t.isRange()) {
            return Math.max(whole, 1e-3);
        }
        double to = t.clipTo() == 0 ? whole : Math.min(t.clipTo(), whole);
        return Math.max(to - t.clipFrom(), 1e-3);
    }

    private static double median(List<VideoTask> tasks, Map<String, Integer> clips) {
        double[] known = tasks.stream().map(t -> clips.get(t.videoId())).filter(c -> c != null)
                .mapToDouble(Integer::doubleValue).sorted().toArray();
        return known.length == 0 ? 1 : known[known.length / 2];
    }

    /**
     * A wave's error rows with one row per video: a split video's ranges that failed report the same failure from
     * where each began; the earliest (fewest clips before it) is what the whole video would have reported.
     */
    static List<ErrorRow> oneErrorPerVideo(List<ErrorRow> rows) {
        Map<String, ErrorRow> first = new LinkedHashMap<>();
        for (ErrorRow e : rows) {
            first.merge(e.videoId(), e, (a, b) -> b.clipsWritten() < a.clipsWritten() ? b : a);
        }
        return new ArrayList<>(first.values());
    }

    /** The fullest partition's estimated clips over the mean (an even share): 1.0 is perfectly even. */
    public static double imbalance(List<List<VideoTask>> partitions, Map<String, Integer> clips) {
        double unknown = 1;
        double[] loads = new double[partitions.size()];
        for (int p = 0; p < loads.length; p++) {
            for (VideoTask t : partitions.get(p)) {
                loads[p] += weight(t, clips, unknown);
            }
        }
        double max = Arrays.stream(loads).max().orElse(0);
        double mean = Arrays.stream(loads).average().orElse(0);
        return loads.length == 0 ? 1 : max / Math.max(1e-9, mean);
    }
}
