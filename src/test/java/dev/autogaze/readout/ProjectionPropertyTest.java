package dev.autogaze.readout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Properties over seeded random layouts, grids and gaze traces, checked against a brute-force geometric oracle. */
class ProjectionPropertyTest {

    static ScaleLayout randomLayout(Random rnd) {
        while (true) {
            int patch = new int[] {8, 14, 16}[rnd.nextInt(3)];
            int[] grids = rnd.ints(1, 15).distinct().limit(1 + rnd.nextInt(4)).toArray();
            int n = 0;
            int[] scales = new int[grids.length];
            for (int i = 0; i < grids.length; i++) {
                scales[i] = grids[i] * patch;
                n += grids[i] * grids[i];
            }
            try {
                return ScaleLayout.of(scales, patch, n);
            } catch (IllegalArgumentException e) {
                // the model's own float rule rejected it; draw again
            }
        }
    }

    static CellToTokenRule randomRule(Random rnd) {
        return switch (rnd.nextInt(3)) {
            case 0 -> CellToTokenRule.ANY_OVERLAP;
            case 1 -> CellToTokenRule.CENTER;
            default -> CellToTokenRule.minFraction(new double[] {0.1, 0.25, 0.5, 0.75, 1.0}[rnd.nextInt(5)]);
        };
    }

    /** Brute force: every grid token tested against the cell rect in downstream pixels. */
    static Set<Integer> oracle(ScaleLayout l, int id, int height, int width, int patch, ReadoutOptions o) {
        int s = l.scaleOf(id);
        int g = l.grid(s);
        int local = id - l.offset(s);
        int row0 = local / g;
        int col0 = local % g;
        // exact downstream edges: model x = c·F/g and the whole frame maps to width, so x = c·width/g
        ReadoutRect r = new ReadoutRect((double) col0 * width / g, (double) row0 * height / g,
                (double) (col0 + 1) * width / g, (double) (row0 + 1) * height / g).grown(o.fixationScale());
        Set<Integer> out = new LinkedHashSet<>();
        for (int row = 0; row < height / patch; row++) {
            for (int col = 0; col < width / patch; col++) {
                ReadoutRect t = new ReadoutRect(col * patch, row * patch, (col + 1) * patch, (row + 1) * patch);
                boolean in = switch (o.rule().kind()) {
                    case ANY_OVERLAP -> t.overlaps(r);
                    case CENTER -> r.contains(t.centreX(), t.centreY());
                    case MIN_FRACTION -> t.intersectionArea(r) / t.area() >= o.rule().minFraction() - 1e-9;
                };
                if (in) {
                    out.add(row * (width / patch) + col);
                }
            }
        }
        return out;
    }

    static Set<Integer> dilate(Set<Integer> core, int d, int rows, int cols) {
        Set<Integer> out = new LinkedHashSet<>();
        for (int t : core) {
            for (int r = t / cols - d; r <= t / cols + d; r++) {
                for (int c = t % cols - d; c <= t % cols + d; c++) {
                    if (r >= 0 && r < rows && c >= 0 && c < cols) {
                        out.add(r * cols + c);
                    }
                }
            }
        }
        return out;
    }

    static Set<Integer> set(int[] a) {
        Set<Integer> s = new LinkedHashSet<>();
        for (int v : a) {
            s.add(v);
        }
        return s;
    }

    @Test
    void everyIdProjectsToExactlyTheTokensItsRectCoversUnderEachRule() {
        Random rnd = new Random(42);
        for (int trial = 0; trial < 120; trial++) {
            ScaleLayout l = randomLayout(rnd);
            int patch = 4 + rnd.nextInt(29);
            ImageGrid grid = new ImageGrid(patch * (1 + rnd.nextInt(20)), patch * (1 + rnd.nextInt(20)), patch);
            double scale = rnd.nextBoolean() ? 1.0 : 0.25 + 2 * rnd.nextDouble();
            int d = rnd.nextInt(3) == 0 ? rnd.nextInt(3) : 0;
            ReadoutOptions o = ReadoutOptions.defaults().withRule(randomRule(rnd)).withFixationScale(scale)
                    .withDilation(d);
            ImageGridProjector p = new ImageGridProjector(l, grid, o);
            for (int id = 0; id < l.tokensPerFrame(); id++) {
                int[] got = p.project(Fx.ids(new int[] {id})).frame(0);
                Set<Integer> core = oracle(l, id, grid.height(), grid.width(), patch, o);
                Set<Integer> expected = dilate(core, d, grid.rows(), grid.cols());
                String why = l + " " + grid + " " + o + " id " + id;
                assertEquals(expected.size(), got.length, "no duplicates, right count: " + why);
                assertEquals(expected, set(got), why);
                // the rule's own tokens come first, in raster order
                int[] head = Arrays.copyOf(got, core.size());
                assertEquals(core, set(head), why);
                int[] sorted = head.clone();
                Arrays.sort(sorted);
                assertArrayEquals(sorted, head, why);
            }
        }
    }

    @Test
    void framesKeepFirstSeenOrderAndCapsKeepTheHighestPriorityPrefix() {
        Random rnd = new Random(3);
        for (int trial = 0; trial < 200; trial++) {
            ScaleLayout l = randomLayout(rnd);
            int patch = 8 + rnd.nextInt(9);
            ImageGrid grid = new ImageGrid(patch * (2 + rnd.nextInt(14)), patch * (2 + rnd.nextInt(14)), patch);
            ReadoutOptions o = ReadoutOptions.defaults().withRule(randomRule(rnd)).withDilation(rnd.nextInt(2))
                    .withPriority(rnd.nextBoolean() ? Priority.GAZE_ORDER : Priority.CONFIDENCE);
            int[] frame = rnd.ints(rnd.nextInt(40), 0, l.tokensPerFrame()).toArray();
            float[] conf = new float[frame.length];
            for (int i = 0; i < conf.length; i++) {
                conf[i] = rnd.nextInt(5) == 0 ? Float.NaN : rnd.nextInt(10) / 10f;
            }
            FrameIds in = Fx.ids(new int[][] {frame}, new float[][] {conf});
            // expected priority: gaze order, or confidence descending with NaN last, ties by gaze order
            Integer[] order = new Integer[frame.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            if (o.priority() == Priority.CONFIDENCE) {
                Arrays.sort(order, (a, b) -> {
                    float ca = Float.isNaN(conf[a]) ? Float.NEGATIVE_INFINITY : conf[a];
                    float cb = Float.isNaN(conf[b]) ? Float.NEGATIVE_INFINITY : conf[b];
                    return ca != cb ? Float.compare(cb, ca) : Integer.compare(a, b);
                });
            }
            ImageGridProjector single = new ImageGridProjector(l, grid, o);
            Set<Integer> expected = new LinkedHashSet<>();
            for (int i : order) {
                for (int t : single.project(Fx.ids(new int[] {frame[i]})).frame(0)) {
                    expected.add(t);
                }
            }
            int[] full = single.project(in).frame(0);
            assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), full);
            int cap = 1 + rnd.nextInt(30);
            int[] capped = new ImageGridProjector(l, grid, o.withMaxTokensPerFrame(cap)).project(in).frame(0);
            assertArrayEquals(Arrays.copyOf(full, Math.min(cap, full.length)), capped, "cap " + cap);
            int fixCap = 1 + rnd.nextInt(10);
            Set<Integer> firstFix = new LinkedHashSet<>();
            for (int k = 0; k < Math.min(fixCap, order.length); k++) {
                for (int t : single.project(Fx.ids(new int[] {frame[order[k]]})).frame(0)) {
                    firstFix.add(t);
                }
            }
            assertEquals(firstFix, set(new ImageGridProjector(l, grid, o.withMaxFixationsPerFrame(fixCap))
                    .project(in).frame(0)));
        }
    }

    @Test
    void videoTokensAreTheTubeletUnionWithinBudgetsAndWithoutDuplicates() {
        Random rnd = new Random(9);
        for (int trial = 0; trial < 150; trial++) {
            ScaleLayout l = randomLayout(rnd);
            int tub = 1 + rnd.nextInt(3);
            int patch = 8 + rnd.nextInt(9);
            VideoGeometry g = new VideoGeometry(tub * (1 + rnd.nextInt(6)), patch * (2 + rnd.nextInt(12)),
                    patch * (2 + rnd.nextInt(12)), tub, patch);
            ReadoutOptions o = ReadoutOptions.defaults().withRule(randomRule(rnd)).withDilation(rnd.nextInt(2));
            int[][] frames = new int[g.frames()][];
            for (int t = 0; t < frames.length; t++) {
                frames[t] = rnd.ints(rnd.nextInt(25), 0, l.tokensPerFrame()).toArray();
            }
            FrameIds in = Fx.ids(frames);
            ImageTokens perFrame = new ImageGridProjector(l, g.frameGrid(), o).project(in);
            List<Set<Integer>> union = new ArrayList<>();
            for (int b = 0; b < g.bins(); b++) {
                Set<Integer> u = new LinkedHashSet<>();
                for (int k = 0; k < tub; k++) {
                    u.addAll(set(perFrame.frame(b * tub + k)));
                }
                union.add(u);
            }
            VideoCoordinates all = new VideoTokenProjector(l, g, o, VideoTokenOptions.defaults()).project(in, 1);
            List<Set<Integer>> got = perBin(all, g);
            assertEquals(union.stream().map(ProjectionPropertyTest::sortedSet).toList(), got);

            int perBin = 1 + rnd.nextInt(20);
            List<Set<Integer>> capped = perBin(new VideoTokenProjector(l, g, o, VideoTokenOptions.defaults()
                    .withPerBinBudget(perBin)).project(in, 1), g);
            int global = 1 + rnd.nextInt(60);
            List<Set<Integer>> shared = perBin(new VideoTokenProjector(l, g, o, VideoTokenOptions.defaults()
                    .withGlobalBudget(global)).project(in, 1), g);
            int total = 0;
            int sumUnion = 0;
            for (int b = 0; b < g.bins(); b++) {
                assertEquals(Math.min(perBin, union.get(b).size()), capped.get(b).size());
                assertTrue(union.get(b).containsAll(capped.get(b)));
                assertTrue(union.get(b).containsAll(shared.get(b)));
                int fair = Math.min(union.get(b).size(), global / g.bins());
                assertTrue(shared.get(b).size() >= fair, "bin " + b + " got " + shared.get(b).size()
                        + " of its fair share " + fair);
                total += shared.get(b).size();
                sumUnion += union.get(b).size();
            }
            assertEquals(Math.min(global, sumUnion), total);
            if (tub == 1) {
                // one frame per bin: the per-bin cap keeps the frame's highest-priority tokens
                for (int b = 0; b < g.bins(); b++) {
                    int[] pri = perFrame.frame(b);
                    assertEquals(sortedSet(set(Arrays.copyOf(pri, Math.min(perBin, pri.length)))), capped.get(b));
                }
            }
            int min = rnd.nextInt(Math.min(10, g.tokensPerBin()) + 1);
            List<Set<Integer>> filled = perBin(new VideoTokenProjector(l, g, o, VideoTokenOptions.defaults()
                    .withMinTokensPerBin(min)).project(in, 1), g);
            for (int b = 0; b < g.bins(); b++) {
                assertEquals(Math.max(min, union.get(b).size()), filled.get(b).size());
                assertTrue(filled.get(b).containsAll(union.get(b)));
            }
        }
    }

    /** Per bin, the set of spatial tokens; also checks order (bin, raster) and no duplicates. */
    static List<Set<Integer>> perBin(VideoCoordinates c, VideoGeometry g) {
        List<Set<Integer>> out = new ArrayList<>();
        for (int b = 0; b < g.bins(); b++) {
            out.add(new LinkedHashSet<>());
        }
        int[] flat = c.flatIndices();
        BitSet seen = new BitSet();
        for (int i = 0; i < flat.length; i++) {
            assertTrue(i == 0 || flat[i] > flat[i - 1], "coordinates are strictly increasing");
            assertTrue(!seen.get(flat[i]));
            seen.set(flat[i]);
            out.get(c.temporal(i)).add(c.row(i) * g.cols() + c.col(i));
            assertEquals(1, c.batch(i));
        }
        return out;
    }

    static Set<Integer> sortedSet(Set<Integer> s) {
        return new LinkedHashSet<>(s.stream().sorted().toList());
    }
}
