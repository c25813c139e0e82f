package dev.autogaze.job;

import dev.autogaze.io.ErrorRow;
import dev.autogaze.video.TableCell;
import dev.autogaze.video.TarIndex;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkPlanTest {

    private static VideoTask file(String id) {
        return new VideoTask(id, "/data/" + id + ".mp4", null, null, null, new LinkedHashMap<>());
    }

    private static VideoTask member(String shard, String key) {
        return new VideoTask(shard + "/" + key, "/data/" + shard + ".tar", null, null, null, new LinkedHashMap<>(),
                new TarIndex.Member(key + ".mp4", 512, 100), 0, 0);
    }

    private static List<String> ranges(List<VideoTask> tasks) {
        return tasks.stream().map(t -> t.videoId() + "[" + t.clipFrom() + "," + t.clipTo() + ")").toList();
    }

    @Test
    void aLongVideoBecomesEqualRangesTheLastRunningToTheEnd() {
        Map<String, Integer> clips = Map.of("long", 100, "short", 3, "a/k", 500);
        List<VideoTask> out = WorkPlan.split(List.of(file("short"), file("long"), member("a", "k")), clips, 30);
        assertEquals(List.of("short[0,0)", "long[0,25)", "long[25,50)", "long[50,75)", "long[75,0)", "a/k[0,0)"),
                ranges(out)); // a shard member is not split: its shard stays in one task
        assertEquals(List.of("long[0,0)"), ranges(WorkPlan.split(List.of(file("long")), clips, 0)));
        assertEquals(List.of("long[0,0)"), ranges(WorkPlan.split(List.of(file("long")), clips, 100)));
    }

    @Test
    void heavyTailedWorkIsEvenAfterSplittingAndLongestFirstPlacement() {
        List<VideoTask> tasks = new ArrayList<>();
        Map<String, Integer> clips = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            tasks.add(file(String.format("short%04d", i)));
            clips.put(String.format("short%04d", i), 1);
        }
        for (int i = 0; i < 5; i++) {
            tasks.add(file("zlong" + i)); // listed last, as a sort by name puts them
            clips.put("zlong" + i, 600);
        }
        int n = 8;
        // by count, in listing order: the last partition holds every long video
        List<List<VideoTask>> byCount = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            byCount.add(tasks.subList(p * tasks.size() / n, (p + 1) * tasks.size() / n));
        }
        assertTrue(WorkPlan.imbalance(byCount, clips) > 6, "by count: " + WorkPlan.imbalance(byCount, clips));
        // by clips, without splitting: a 600-clip video alone exceeds an even share (500)
        double unsplit = WorkPlan.imbalance(WorkPlan.partitions(tasks, clips, n), clips);
        assertTrue(unsplit > 1.15, "unsplit " + unsplit);
        int threshold = WorkPlan.autoSplit(clips, tasks, n, 10_000);
        assertEquals(125, threshold); // a quarter of 4000 / 8
        List<List<VideoTask>> planned = WorkPlan.partitions(WorkPlan.split(tasks, clips, threshold), clips, n);
        assertEquals(n, planned.size());
        double split = WorkPlan.imbalance(planned, clips);
        assertTrue(split < 1.01, "split " + split);
        assertEquals(tasks.size() + 5 * 4, planned.stream().mapToInt(List::size).sum()); // 600 -> 5 ranges each
    }

    @Test
    void aShardOrRowGroupStaysInOnePartitionInListingOrder() {
        List<VideoTask> tasks = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            tasks.add(member("s0", "k" + k));
        }
        for (int k = 0; k < 3; k++) {
            tasks.add(member("s1", "k" + k));
        }
        for (int r = 0; r < 4; r++) {
            tasks.add(new VideoTask("t/" + r, "/data/t.parquet", null, null, null, new LinkedHashMap<>(),
                    new TableCell("video", r / 2, r % 2, r), 0, 0));
        }
        List<List<VideoTask>> parts = WorkPlan.partitions(tasks, Map.of(), 4);
        Map<String, Integer> partitionOf = new HashMap<>();
        for (int p = 0; p < parts.size(); p++) {
            List<VideoTask> part = parts.get(p);
            for (int i = 0; i < part.size(); i++) {
                Integer before = partitionOf.put(WorkPlan.group(part.get(i)), p);
                assertTrue(before == null || before == p, WorkPlan.group(part.get(i)) + " in two partitions");
                if (i > 0) {
                    assertTrue(tasks.indexOf(part.get(i - 1)) < tasks.indexOf(part.get(i)), "listing order");
                }
            }
        }
        assertEquals(4, partitionOf.size()); // s0, s1, row groups 0 and 1
        assertEquals(List.of("s0/k0", "s0/k1", "s0/k2", "s0/k3", "s0/k4", "s0/k5"),
                parts.get(0).stream().map(VideoTask::videoId).toList()); // the heaviest unit first
    }

    @Test
    void wavesNeverCutAShardOrASplitVideo() {
        List<VideoTask> tasks = new ArrayList<>();
        tasks.add(file("a"));
        for (int k = 0; k < 3; k++) {
            tasks.add(member("s", "k" + k));
        }
        tasks.addAll(WorkPlan.split(List.of(file("long")), Map.of("long", 40), 10));
        tasks.add(file("b"));
        List<List<VideoTask>> waves = WorkPlan.waves(tasks, 2);
        assertEquals(List.of(List.of("a", "s/k0", "s/k1", "s/k2"), List.of("long", "long", "long", "long"),
                List.of("b")), waves.stream().map(w -> w.stream().map(VideoTask::videoId).toList()).toList());
    }

    @Test
    void aSplitVideosErrorRowIsTheEarliestRangesAsTheWholeVideoWouldReportIt() {
        List<ErrorRow> rows = List.of(new ErrorRow("/v.mp4", "v", "DECODE", "cut at frame 81", 7, "h"),
                new ErrorRow("/v.mp4", "v", "DECODE", "cut at frame 81", 5, "h"),
                new ErrorRow("/w.mp4", "w", "OPEN", "no such file", 0, "h"));
        List<ErrorRow> one = WorkPlan.oneErrorPerVideo(rows);
        assertEquals(2, one.size());
        assertEquals(5, one.get(0).clipsWritten());
        assertEquals("w", one.get(1).videoId());
    }
}
