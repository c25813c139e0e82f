package dev.autogaze.video;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClipAssemblerTest {

    /** Feeds n frames at 30 fps; returns {payload requests, max buffered, clips}. */
    private static int[] feed(SamplingOptions o, int n) {
        ClipAssembler<Integer> a = new ClipAssembler<>(o, 0, Double.POSITIVE_INFINITY);
        AtomicInteger requests = new AtomicInteger();
        int maxBuffered = 0;
        int clips = 0;
        for (int i = 0; i < n && !a.isFinished(); i++) {
            int index = i;
            clips += a.offer(i, i / 30.0, () -> {
                requests.incrementAndGet();
                return index;
            }).size();
            maxBuffered = Math.max(maxBuffered, a.buffered());
        }
        clips += a.finish().size();
        return new int[]{requests.get(), maxBuffered, clips};
    }

    @Test
    void aLongVideoHoldsAtMostOneClipOfFrames() {
        int[] r = feed(SamplingOptions.defaults(), 10_000);
        assertEquals(10_000, r[0]);
        assertTrue(r[1] <= 16, "buffered " + r[1]);
        assertEquals(625, r[2]);
        int[] overlapping = feed(SamplingOptions.defaults().withClipStride(4), 10_000);
        assertTrue(overlapping[1] <= 16, "buffered " + overlapping[1]);
    }

    @Test
    void pixelsAreRequestedOnlyForFramesSomeClipKeeps() {
        // 30 -> 2 fps over 300 frames: 20 sampled frames, each requested once
        assertEquals(20, feed(SamplingOptions.defaults().withTargetFps(2).withClipLength(4), 300)[0]);
        // clip stride 10 > T 4: of 30 sampled frames, clips keep ordinals 0-3, 10-13, 20-23
        assertEquals(12, feed(SamplingOptions.defaults().withClipLength(4).withClipStride(10), 30)[0]);
        // the clip limit stops requests too
        assertEquals(8, feed(SamplingOptions.defaults().withClipLength(4).withMaxClipsPerVideo(2), 300)[0]);
    }

    @Test
    void paddingRepeatsTheSamePayload() {
        ClipAssembler<Object> a = new ClipAssembler<>(SamplingOptions.defaults().withClipLength(4), 0, 10);
        List<Object> payloads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Object p = new Object();
            payloads.add(p);
            a.offer(i, i * 0.1, () -> p);
        }
        ClipAssembler.Clip<Object> clip = a.finish().get(0);
        assertEquals(2, clip.paddedFrames());
        assertSame(payloads.get(1), clip.frames().get(3));
        assertSame(payloads.get(0), clip.frames().get(0));
    }

    /** Every clip of n frames at 30 fps, as "index:frames:timestamps:padded" strings, for ranges [from, to). */
    private static List<String> clips(SamplingOptions o, int n, double start, double end, int from, int to,
                                      AtomicInteger requests) {
        ClipAssembler<Integer> a = new ClipAssembler<>(o, start, end, from, to);
        List<ClipAssembler.Clip<Integer>> out = new ArrayList<>();
        for (int i = 0; i < n && !a.isFinished(); i++) {
            int index = i;
            out.addAll(a.offer(i, i / 30.0, () -> {
                requests.incrementAndGet();
                return index;
            }));
        }
        out.addAll(a.finish());
        List<String> s = new ArrayList<>();
        for (ClipAssembler.Clip<Integer> c : out) {
            s.add(c.clipIndex() + ":" + java.util.Arrays.toString(c.frameIndices()) + ":" + c.frames() + ":"
                    + java.util.Arrays.toString(c.timestampsSec()) + ":" + c.paddedFrames());
        }
        return s;
    }

    @Test
    void aClipRangeGivesExactlyThoseClipsOfTheWholeVideoAndSkipsEarlierPixels() {
        List<SamplingOptions> configs = List.of(SamplingOptions.defaults().withClipLength(4),
                SamplingOptions.defaults().withClipLength(4).withClipStride(2),
                SamplingOptions.defaults().withClipLength(4).withClipStride(7),
                SamplingOptions.defaults().withTargetFps(7).withClipLength(3),
                SamplingOptions.defaults().withFrameStride(3).withClipLength(4),
                SamplingOptions.defaults().withClipLength(4).withLastClipPolicy(LastClipPolicy.DROP),
                SamplingOptions.defaults().withClipLength(4).withMaxClipsPerVideo(9));
        for (SamplingOptions o : configs) {
            for (int n : new int[] {1, 37, 90}) {
                for (double[] window : new double[][] {{0, Double.POSITIVE_INFINITY}, {0.4, 2.5}}) {
                    List<String> whole = clips(o, n, window[0], window[1], 0, 0, new AtomicInteger());
                    for (int[] r : new int[][] {{0, 3}, {3, 6}, {6, 0}, {2, 4}, {40, 0}, {1, 2}}) {
                        AtomicInteger requests = new AtomicInteger();
                        List<String> part = clips(o, n, window[0], window[1], r[0], r[1], requests);
                        int to = r[1] == 0 ? whole.size() : Math.min(r[1], whole.size());
                        List<String> expected = r[0] >= to ? List.of() : whole.subList(r[0], to);
                        String what = o.describe() + " n=" + n + " window " + window[0] + " range " + r[0] + "-" + r[1];
                        assertEquals(expected, part, what);
                        // no payload for frames only clips before the range use
                        long needed = part.stream().flatMap(c -> java.util.Arrays.stream(c.split(":")[2]
                                .replaceAll("[\\[\\] ]", "").split(","))).filter(x -> !x.isEmpty()).distinct().count();
                        assertTrue(requests.get() <= needed + o.clipLength(), what + ": " + requests.get()
                                + " payloads for " + needed + " frames");
                    }
                }
            }
        }
    }
}
