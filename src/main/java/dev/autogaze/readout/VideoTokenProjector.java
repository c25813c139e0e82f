package dev.autogaze.readout;

/**
 * Projects a clip's gazes straight onto a video model's tubelet x patch token grid: each cell's rect is quantised
 * once on the downstream frame, the frames of a tubelet are unioned, and the bin and clip budgets are applied in
 * priority order. Build once per (layout, geometry, options); not thread-safe, use one per thread.
 */
public final class VideoTokenProjector {

    private final int ids;
    private final VideoGeometry geometry;
    private final VideoTokenOptions budgets;
    private final Priority priority;
    private final ProjectionTable table;
    private final FrameTokenizer[] slots;
    private final int[] fillOrder;
    private final boolean ordered;
    /** No per-frame selection or cap and no budget: a bin is the plain union of its frames' footprints. */
    private final boolean plainUnion;
    private final long[][] binSeen;
    private final int[][] binList;
    private final int[] binCount;
    private final long[] kept;
    private final int[] slotNext;
    private int[] out = new int[1024];

    public VideoTokenProjector(ScaleLayout layout, VideoGeometry geometry, ReadoutOptions options,
                               VideoTokenOptions budgets) {
        this(layout.tokensPerFrame(), new ProjectionTable(layout, geometry.height(), geometry.width(),
                geometry.patch(), options), geometry, options, budgets);
    }

    /** For clips gazed as AnyRes tiles: the whole source frame is resized to the downstream frame. */
    public VideoTokenProjector(TiledIds tiled, VideoGeometry geometry, ReadoutOptions options,
                               VideoTokenOptions budgets) {
        this(tiled.tokensPerFrame(), new ProjectionTable(tiled, geometry.height(), geometry.width(),
                geometry.patch(), options), geometry, options, budgets);
    }

    private VideoTokenProjector(int ids, ProjectionTable table, VideoGeometry geometry, ReadoutOptions options,
                                VideoTokenOptions budgets) {
        budgets.checkAgainst(geometry);
        this.ids = ids;
        this.geometry = geometry;
        this.budgets = budgets;
        this.priority = options.priority();
        this.table = table;
        this.slots = new FrameTokenizer[geometry.tubelet()];
        for (int k = 0; k < slots.length; k++) {
            slots[k] = new FrameTokenizer(table, options);
        }
        this.fillOrder = BinBudgets.centreOutOrder(geometry.rows(), geometry.cols());
        this.ordered = budgets.perBinBudget() > 0 || budgets.globalBudget() > 0;
        this.plainUnion = !ordered && options.confidenceThreshold() == 0 && options.maxFixationsPerFrame() == 0
                && options.maxTokensPerFrame() == 0;
        int words = (geometry.tokensPerBin() + 63) >>> 6;
        this.binSeen = new long[geometry.bins()][words];
        this.binList = new int[geometry.bins()][geometry.tokensPerBin()];
        this.binCount = new int[geometry.bins()];
        this.kept = new long[words];
        this.slotNext = new int[geometry.tubelet()];
    }

    public VideoGeometry geometry() {
        return geometry;
    }

    /** The selected tokens of one clip; {@code batch} fills the first coordinate column. */
    public VideoCoordinates project(FrameIds ids, int batch) {
        if (ids.frames() != geometry.frames()) {
            throw new IllegalArgumentException("gaze has " + ids.frames() + " frames but the video geometry has "
                    + geometry.frames());
        }
        if (batch < 0) {
            throw new IllegalArgumentException("batch index " + batch + " is negative");
        }
        ImageGridProjector.checkIds(ids, this.ids);
        int bins = geometry.bins();
        for (int b = 0; b < bins; b++) {
            // cleared up front, so a call that failed half-way (a missing confidence) leaves nothing behind
            java.util.Arrays.fill(binSeen[b], 0);
        }
        for (int b = 0; b < bins; b++) {
            collectBin(ids, b);
        }
        int[] keep = BinBudgets.roundRobin(binCount, budgets.globalBudget());
        int n = 0;
        int rows = geometry.rows();
        int cols = geometry.cols();
        for (int b = 0; b < bins; b++) {
            long[] set = binSeen[b];
            if (keep[b] < binCount[b] || ordered) {
                java.util.Arrays.fill(kept, 0);
                int[] list = binList[b];
                for (int i = 0; i < keep[b]; i++) {
                    kept[list[i] >>> 6] |= 1L << list[i];
                }
                set = kept;
            }
            if (out.length < (n + keep[b]) * 4) {
                out = java.util.Arrays.copyOf(out, Math.max(out.length * 2, (n + keep[b]) * 4));
            }
            for (int w = 0; w < set.length; w++) {
                long word = set[w];
                while (word != 0) {
                    int tok = (w << 6) + Long.numberOfTrailingZeros(word);
                    word &= word - 1;
                    int o = 4 * n++;
                    out[o] = batch;
                    out[o + 1] = b;
                    out[o + 2] = tok / cols;
                    out[o + 3] = tok % cols;
                }
            }
        }
        assert n <= bins * rows * cols;
        return new VideoCoordinates(geometry, java.util.Arrays.copyOf(out, 4 * n));
    }

    public VideoCoordinates project(FixationTrace trace, int batch) {
        return project(FrameIds.of(trace), batch);
    }

    /** Builds bin b's distinct tokens (binSeen) and, when budgets need it, their priority order (binList). */
    private void collectBin(FrameIds ids, int b) {
        long[] seen = binSeen[b];
        int[] list = binList[b];
        int count = plainUnion ? unionBin(ids, b, seen) : mergeBin(ids, b, seen, list);
        int min = budgets.minTokensPerBin();
        for (int i = 0; count < min; i++) {
            int tok = fillOrder[i];
            int w = tok >>> 6;
            long bit = 1L << tok;
            if ((seen[w] & bit) == 0) {
                seen[w] |= bit;
                list[count++] = tok;
            }
        }
        int cap = budgets.perBinBudget();
        binCount[b] = cap > 0 ? Math.min(count, cap) : count;
    }

    /** The plain union: footprints OR-ed into the bin's bitset; returns the number of distinct tokens. */
    private int unionBin(FrameIds ids, int b, long[] seen) {
        int tub = slots.length;
        int[] all = table.tokens();
        int[] idArr = ids.ids();
        int[] start = ids.frameStart();
        for (int i = start[b * tub], e = start[(b + 1) * tub]; i < e; i++) {
            int id = idArr[i];
            for (int k = table.start(id), ke = table.end(id); k < ke; k++) {
                int tok = all[k];
                seen[tok >>> 6] |= 1L << tok;
            }
        }
        int count = 0;
        for (long w : seen) {
            count += Long.bitCount(w);
        }
        return count;
    }

    /** Frames tokenized with their own selection and caps, then merged in priority order into list. */
    private int mergeBin(FrameIds ids, int b, long[] seen, int[] list) {
        int tub = slots.length;
        int count = 0;
        for (int k = 0; k < tub; k++) {
            slots[k].tokenize(ids, b * tub + k);
            slotNext[k] = 0;
        }
        while (true) {
            int k = nextSlot();
            if (k < 0) {
                break;
            }
            FrameTokenizer f = slots[k];
            int sel = slotNext[k]++;
            int[] toks = f.tokens;
            for (int i = f.segStart(sel), e = f.segEnd[sel]; i < e; i++) {
                int tok = toks[i];
                int w = tok >>> 6;
                long bit = 1L << tok;
                if ((seen[w] & bit) == 0) {
                    seen[w] |= bit;
                    list[count++] = tok;
                }
            }
        }
        return count;
    }

    /**
     * The frame of the tubelet whose next fixation comes first: by rank then frame (GAZE_ORDER, i.e. round-robin
     * over the tubelet's frames), or by confidence, then rank, then frame (CONFIDENCE).
     */
    private int nextSlot() {
        int best = -1;
        for (int k = 0; k < slots.length; k++) {
            int j = slotNext[k];
            if (j >= slots[k].selCount) {
                continue;
            }
            if (best < 0) {
                best = k;
                continue;
            }
            int jb = slotNext[best];
            if (priority == Priority.CONFIDENCE) {
                int a = FrameTokenizer.descendingKey(slots[k].selConf[j]);
                int c = FrameTokenizer.descendingKey(slots[best].selConf[jb]);
                if (a < c || (a == c && j < jb)) {
                    best = k;
                }
            } else if (j < jb) {
                best = k;
            }
        }
        return best;
    }
}
