package dev.autogaze.readout;

import java.util.Arrays;

/** The two clip-level rules that need a definition of their own: fair global budget split and minimum fill order. */
final class BinBudgets {

    private BinBudgets() {
    }

    /**
     * Shares a global budget over bins round-robin: in each round every bin that still has candidates takes its next
     * highest-priority token, bins in temporal order, until the budget is spent. So every bin gets
     * {@code min(count, level)} and the leftover goes one each to the earliest bins that still have tokens; a late
     * bin is never starved by early ones. Returns how many tokens each bin keeps.
     */
    static int[] roundRobin(int[] counts, int budget) {
        long total = 0;
        int max = 0;
        for (int c : counts) {
            total += c;
            max = Math.max(max, c);
        }
        if (budget <= 0 || total <= budget) {
            return counts.clone();
        }
        int lo = 0;
        int hi = max;
        while (lo < hi) {
            // Largest level L with sum(min(c, L)) <= budget.
            int mid = (lo + hi + 1) >>> 1;
            if (sumCapped(counts, mid) <= budget) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        int[] keep = new int[counts.length];
        long left = budget - sumCapped(counts, lo);
        for (int b = 0; b < counts.length; b++) {
            keep[b] = Math.min(counts[b], lo);
            if (left > 0 && counts[b] > lo) {
                keep[b]++;
                left--;
            }
        }
        return keep;
    }

    private static long sumCapped(int[] counts, int level) {
        long s = 0;
        for (int c : counts) {
            s += Math.min(c, level);
        }
        return s;
    }

    /**
     * The minimum-fill order of a rows x cols grid: tokens by distance of their centre from the frame centre
     * (in token units), ties in raster order. Deterministic and independent of the gazes.
     */
    static int[] centreOutOrder(int rows, int cols) {
        long[] keys = new long[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                long dy = 2L * r + 1 - rows;
                long dx = 2L * c + 1 - cols;
                int idx = r * cols + c;
                keys[idx] = ((dy * dy + dx * dx) << 32) | idx;
            }
        }
        Arrays.sort(keys);
        int[] order = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }
}
