package dev.autogaze.model.cuda;

import dev.autogaze.model.AutoGazeConfig;
import dev.autogaze.model.FeedPlan;
import org.bytedeco.cuda.cudart.CUstream_st;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;

/**
 * The gaze decoder's forward pass on the device for one planned call: the plan's integers go up in one copy, then
 * per layer RMSNorm, the fused q/k/v GEMM, RoPE with the cache stores, attention over every row's cache, the o
 * projection into the residual, RMSNorm, gate/up, SiLU and down into the residual. The last layer runs past its
 * K/V stores only for each row's last token (generation reads nothing else), and the output heads (lm_head and the
 * task-loss head, one GEMM) leave [rows][K*V + K] in {@link Workspace#headOut}. Everything is enqueued on the
 * engine's stream; nothing waits.
 */
final class CudaDecoder {

    private static final int EPI_STORE = 0;
    private static final int EPI_ADD = 2;
    private static final int EPI_SWIGLU = 5;
    /**
     * Calls of at most ROWS_MAX rows use gemm_rows (autogaze.cu: one-warp blocks of ROWS_COLS weight columns and
     * ROWS_BLOCK rows), where the weight's width is a multiple of 4 (it copies whole 16-byte pieces).
     */
    private static final int ROWS_MAX = 16;
    /** GEMM calls of at least MID_ROWS rows run gemm_plain_m, of at least LARGE_ROWS rows gemm_plain_l. */
    private static final int MID_ROWS = 512;
    private static final int LARGE_ROWS = 8192;
    /** Calls of at most this many rows run decode attention one warp per query (attention_d1p). */
    private static final int SMALL_ROWS = 4;
    /** Threads of an attention_dk block: two warps share each 64-key tile of the cache (see autogaze.cu). */
    private static final int DK_THREADS = 64;
    private static final int ROWS_COLS = 16;
    private static final int ROWS_BLOCK = 8;
    /** Tokens of a rope_store block in calls of at least MID_ROWS tokens (smaller calls: one). */
    private static final int ROPE_TOKENS = 8;
    /** Threads of a prefill attention block: PREFILL_THREADS in autogaze.cu. */
    private static final int PREFILL_THREADS = 256;
    /**
     * Query tile of a prefill: 16 queries a warp of its block (a decode step's tile is its row's, at most K, tokens;
     * the last layer's one token).
     */
    private static final int PREFILL_TILE = PREFILL_THREADS / 32 * 16;

    /** Chunks a decode attention block may stream at most, and the blocks a multiprocessor keeps (decodeSpan). */
    private static final int MAX_SPAN = 8;
    private static final int SPAN_BLOCKS_PER_SM = 12;

    private final CudaModule module;
    private final CudaWeights w;
    private final CUstream_st stream;
    private final int hidden;
    private final int heads;
    private final int qDim;
    private final int inter;
    private final float eps;
    private final float scale;
    private final int decodeTile;
    private final int multiprocessors;
    private final int spanOverride;

    CudaDecoder(CudaModule module, CudaWeights weights, CUstream_st stream, int multiprocessors) {
        this.module = module;
        this.multiprocessors = multiprocessors;
        this.spanOverride = Integer.getInteger("autogaze.cuda.decodeSpan", 0);
        this.w = weights;
        this.stream = stream;
        AutoGazeConfig.Decoder d = weights.config.decoder();
        this.hidden = d.hiddenSize();
        this.heads = d.heads();
        this.qDim = d.heads() * d.headDim();
        this.inter = d.intermediateSize();
        this.eps = d.rmsNormEps();
        this.scale = (float) (1.0 / Math.sqrt(d.headDim()));
        this.decodeTile = d.multiTokenHeads();
    }

    /** Offsets (in ints) of the staged plan's parts; see {@link #stage}. */
    private record Layout(int tokens, int rows, int fullTiles, int tokRow, int tokIdx, int tokPos, int tokSrc,
                          int tokMask, int tilesFull, int tilesLast, int lastTok, int lastIdx, int end) {
    }

    /**
     * Enqueues the call. With `inputUploaded` the hidden states of the plan's tokens are already in
     * {@link Workspace#h} (the teacher-forced path feeds host embeddings); otherwise they are gathered from the
     * embedding table and `vision` ([B][T][visionTokens][hidden]).
     */
    void forward(Workspace ws, DeviceArray vision, FeedPlan plan, boolean inputUploaded) {
        int m = plan.tokens();
        int r = plan.rows();
        if (m == 0 || r == 0) {
            throw new IllegalArgumentException("decoder call without tokens");
        }
        if (m > ws.maxTokens || r > ws.batch) {
            throw new IllegalArgumentException("call of " + m + " tokens in " + r + " rows exceeds the workspace ("
                    + ws.maxTokens + " tokens, " + ws.batch + " rows)");
        }
        // a decode call feeds at most K tokens per row: one tile of K queries (attention_dk's width) per row
        int tile = plan.prefill() ? PREFILL_TILE : decodeTile;
        Layout lay = stage(ws, plan, tile);
        if (ws.maskDirty) {
            ws.mask.upload(ws.maskMirror.pointer(), 0, 0, (long) ws.batch * ws.capacity, stream);
            ws.maskDirty = false;
        }
        ws.ints.upload(ws.intStage.pointer(), 0, 0, (long) lay.end * Integer.BYTES, stream);
        boolean prefill = plan.prefill();
        long visionAt = inputUploaded ? 0L : vision.address();
        ws.graphs.run(new KernelGraphs.Shape(m, r, lay.fullTiles, prefill, visionAt), stream,
                () -> enqueue(ws, vision, lay, prefill, inputUploaded));
    }

    /** The call's kernels; every argument follows from the layout and the workspace (see KernelGraphs). */
    private void enqueue(Workspace ws, DeviceArray vision, Layout lay, boolean prefill, boolean inputUploaded) {
        int m = lay.tokens;
        int r = lay.rows;
        long tokRow = bytes(lay.tokRow);
        long tokIdx = bytes(lay.tokIdx);
        if (!inputUploaded) {
            module.launch("gather_input", m, 64).ptr(ws.ints, tokRow).ptr(ws.ints, bytes(lay.tokSrc)).i(m)
                    .ptr(w.embed).ptr(vision).i(ws.frames).i(ws.visionTokens).ptr(ws.h).on(stream);
        }
        // few rows: one warp per query (attention_d1p) keeps the GPU busier than one warp per K queries
        boolean small = r <= SMALL_ROWS;
        int ropeTokens = m >= MID_ROWS ? ROPE_TOKENS : 1;
        CudaWeights.Layer[] layers = w.layers;
        for (int l = 0; l < layers.length; l++) {
            CudaWeights.Layer L = layers[l];
            normGemm(ws.h, L.inNorm(), ws.a, L.qkv(), m, ws.qkv, EPI_STORE);
            module.launch("rope_store", (m + ropeTokens - 1) / ropeTokens, 128).ptr(ws.qkv).i(m).i(ropeTokens)
                    .ptr(ws.ints, tokRow).ptr(ws.ints, tokIdx).ptr(ws.ints, bytes(lay.tokPos))
                    .ptr(ws.ints, bytes(lay.tokMask)).ptr(ws.cos).ptr(ws.sin).ptr(ws.q).ptr(ws.keys[l])
                    .ptr(ws.values[l]).ptr(ws.mask).i(ws.capacity).on(stream);
            boolean last = l == layers.length - 1;
            DeviceArray h = ws.h;
            DeviceArray a = ws.a;
            DeviceArray att = ws.att;
            DeviceArray act = ws.act;
            int rows = m;
            if (!last && prefill) {
                prefillAttention(ws, l, lay.fullTiles, bytes(lay.tilesFull), tokIdx, att);
            } else if (!last) {
                decodeAttention(ws, l, small ? "attention_d1p" : "attention_dk", small ? decodeTile : 1,
                        small ? 32 : DK_THREADS, lay.fullTiles, bytes(lay.tilesFull), tokIdx, tokIdx, m, att);
            } else {
                module.launch("gather_rows", r, 64).ptr(ws.h).ptr(ws.ints, bytes(lay.lastTok)).i(r).ptr(ws.hLast)
                        .on(stream);
                decodeAttention(ws, l, small ? "attention_d1p" : "attention_d1", 1, 32, r, bytes(lay.tilesLast), tokIdx,
                        bytes(lay.lastIdx), r, ws.attLast);
                h = ws.hLast;
                a = ws.aLast;
                att = ws.attLast;
                act = ws.actLast;
                rows = r;
            }
            gemm(att, qDim, L.o(), rows, h, EPI_ADD);
            mlp(h, a, act, L, rows);
        }
        normGemm(ws.hLast, w.finalNorm, ws.aLast, w.heads, r, ws.headOut, EPI_STORE);
    }

    /**
     * Prefill attention of layer l for `tiles` query tiles (at `tilesAt`) into `out`: a tile sees the whole cache in
     * one block (attention_prefill), which writes the outputs.
     */
    private void prefillAttention(Workspace ws, int l, int tiles, long tilesAt, long tokIdxAt, DeviceArray out) {
        module.launch("attention_prefill", 0, PREFILL_THREADS).grid(tiles, heads, 1).ptr(ws.ints, tilesAt).ptr(ws.q)
                .ptr(ws.ints, tokIdxAt).ptr(ws.keys[l]).ptr(ws.values[l]).ptr(ws.mask).i(ws.capacity).f(scale)
                .ptr(out).on(stream);
    }

    /**
     * Decode attention of layer l for `tiles` query tiles (at `tilesAt`) into `out`: `spread` blocks per tile, over
     * chunks of Workspace.SPLIT_CHUNK keys (`decodeSpan` of them a block) whose partials attention_combine merges in
     * order; `qIdxAt` holds the cache index of each of the `rows` output rows.
     */
    private void decodeAttention(Workspace ws, int l, String kernel, int spread, int threads, int tiles, long tilesAt,
                                 long tokIdxAt, long qIdxAt, int rows, DeviceArray out) {
        int chunk = Workspace.SPLIT_CHUNK;
        int chunks = (ws.capacity + chunk - 1) / chunk;
        long perHead = (long) tiles * spread;
        int span = spanOverride > 0 ? spanOverride : decodeSpan(perHead * heads * chunks, multiprocessors);
        module.launch(kernel, 0, threads).grid(perHead, heads, (chunks + span - 1) / span)
                .ptr(ws.ints, tilesAt).ptr(ws.q).ptr(ws.ints, tokIdxAt).ptr(ws.keys[l]).ptr(ws.values[l]).ptr(ws.mask)
                .i(ws.capacity).i(chunk).i(chunks).f(scale).ptr(ws.part).i(spread).i(span).on(stream);
        long warps = (long) rows * heads;
        module.launch("attention_combine", (warps + 7) / 8, 256).ptr(ws.part).ptr(ws.ints, qIdxAt).i(rows).i(chunk)
                .i(chunks).ptr(out).on(stream);
    }

    /**
     * Chunks each decode attention block streams: 1 while a call has few blocks (a small batch needs every block to
     * fill the GPU), doubling while the call keeps at least SPAN_BLOCKS_PER_SM blocks a multiprocessor (longer streams
     * amortize a block's start, its first tile's wait). The bits do not depend on it (see attention_decode), so rows
     * stay independent of their batch. The system property autogaze.cuda.decodeSpan, read when an engine opens, fixes
     * it instead (for benchmarks and the test that no span changes a bit).
     */
    static int decodeSpan(long blocks, int multiprocessors) {
        int span = 1;
        while (span < MAX_SPAN && blocks / (2L * span) >= (long) SPAN_BLOCKS_PER_SM * multiprocessors) {
            span *= 2;
        }
        return span;
    }

    private void rmsnorm(DeviceArray x, DeviceArray y, DeviceArray weight, int rows) {
        module.launch("rmsnorm", (rows + 7) / 8, 256).ptr(x).nullPtr().ptr(y).ptr(weight).i(rows).f(eps).on(stream);
    }

    /**
     * C (= or +=) rmsnorm(X) W^T (EPI_SWIGLU: silu(gate) * up of it) with `normed` as the norm's output; a call of
     * few rows folds the norm into the GEMM (gemm_rows_norm, gemm_rows_swiglu). Folding it into the tiled GEMMs'
     * loads was measured slower than the rmsnorm kernel (docs/performance.md).
     */
    private void normGemm(DeviceArray x, DeviceArray normWeight, DeviceArray normed, CudaWeights.Matrix weight, int m,
                          DeviceArray c, int mode) {
        if (rows(m, weight)) {
            boolean swiglu = mode == EPI_SWIGLU;
            rowsGemm(swiglu ? "_swiglu" : "_norm", x, hidden, normWeight, weight, m, c,
                    swiglu ? weight.n() / 2 : weight.n(), swiglu ? EPI_STORE : mode);
        } else {
            rmsnorm(x, normed, normWeight, m);
            gemm(normed, hidden, weight, m, c, mode);
        }
    }

    /** The MLP into the residual h: rmsnorm, gate/up with silu(gate) * up into `act`, down added to h. */
    private void mlp(DeviceArray h, DeviceArray normed, DeviceArray act, CudaWeights.Layer layer, int m) {
        normGemm(h, layer.postNorm(), normed, layer.gateUp(), m, act, EPI_SWIGLU);
        gemm(act, inter, layer.down(), m, h, EPI_ADD);
    }

    private static boolean rows(int m, CudaWeights.Matrix weight) {
        return m <= ROWS_MAX && weight.n() % 4 == 0;
    }

    /**
     * gemm_rows with `variant` ("", "_norm", "_swiglu") over the transposed weight: a one-warp block per 16 weight
     * columns and 8 rows.
     */
    private void rowsGemm(String variant, DeviceArray a, int lda, DeviceArray normWeight, CudaWeights.Matrix weight,
                          int m, DeviceArray c, int ldc, int mode) {
        var launch = module.launch("gemm_rows" + variant, 0, 32).grid((weight.n() + ROWS_COLS - 1) / ROWS_COLS,
                (m + ROWS_BLOCK - 1) / ROWS_BLOCK, 1).ptr(a).i(lda);
        (normWeight == null ? launch.nullPtr() : launch.ptr(normWeight)).f(eps).ptr(weight.columns()).i(m)
                .i(weight.n()).i(weight.k()).ptr(c).i(ldc).i(mode).on(stream);
    }

    /**
     * C[m][n] (= or +=) A[m][k] * W[n][k]^T, by m: the row kernel, 32-row tiles with a cp.async pipeline
     * (gemm_small), 64 x 64 or 128 x 64 tiles (gemm_plain_m, gemm_plain_l), the same bits in each.
     */
    private void gemm(DeviceArray a, int lda, CudaWeights.Matrix w, int m, DeviceArray c, int mode) {
        if (rows(m, w)) {
            rowsGemm("", a, lda, null, w, m, c, w.n(), mode);
            return;
        }
        int n = w.n();
        int ldc = mode == EPI_SWIGLU ? n / 2 : n;
        if (m >= MID_ROWS) {
            boolean large = m >= LARGE_ROWS;
            int bm = large ? 128 : 64;
            module.launch(large ? "gemm_plain_l" : "gemm_plain_m", 0, large ? 256 : 128).grid((n + 63) / 64,
                    (m + bm - 1) / bm, 1).ptr(a).i(lda).ptr(w.rows()).i(m).i(n).i(w.k()).ptr(c).i(ldc).i(mode)
                    .nullPtr().nullPtr().i(1).on(stream);
            return;
        }
        module.launch("gemm_small", 0, 64).grid((n + 31) / 32, (m + 31) / 32, 1)
                .ptr(a).i(lda).ptr(w.rows()).i(m).i(n).i(w.k()).ptr(c).i(ldc).i(mode).on(stream);
    }

    private static long bytes(int ints) {
        return (long) ints * Integer.BYTES;
    }

    /** Writes the plan's integers into the pinned staging buffer; returns where each part starts. */
    private Layout stage(Workspace ws, FeedPlan plan, int tile) {
        int m = plan.tokens();
        int r = plan.rows();
        int fullTiles = 0;
        for (int i = 0; i < r; i++) {
            fullTiles += (plan.count(i) + tile - 1) / tile;
        }
        int tokRow = 0;
        int tokIdx = m;
        int tokPos = 2 * m;
        int tokSrc = 3 * m;
        int tokMask = 4 * m;
        int tilesFull = (5 * m + 3) / 4 * 4; // tiles are read as int4: 16-byte aligned
        int tilesLast = tilesFull + 4 * fullTiles;
        int lastTok = tilesLast + 4 * r;
        int lastIdx = lastTok + r;
        int end = lastIdx + r;
        if (end > ws.intSlots) {
            throw new IllegalStateException("call plan of " + end + " ints exceeds its staging (" + ws.intSlots + ")");
        }
        IntBuffer s = ws.intStage.buffer().asIntBuffer();
        ByteBuffer mirror = ws.maskMirror.buffer();
        int t = 0;
        int tileAt = tilesFull;
        for (int i = 0; i < r; i++) {
            int b = plan.row(i);
            int first = plan.firstToken(i);
            int count = plan.count(i);
            int start = plan.start(i);
            if (start + count > ws.capacity) {
                throw new IllegalStateException("row " + b + ": cache slots [" + start + ", " + (start + count)
                        + ") exceed the capacity " + ws.capacity);
            }
            for (int j = 0; j < count; j++, t++) {
                s.put(tokRow + t, b);
                s.put(tokIdx + t, start + j);
                s.put(tokPos + t, plan.position(first + j));
                int src = plan.source(first + j);
                // a vision token's source names its frame too: the call's kernels then do not depend on the frame
                s.put(tokSrc + t, src >= 0 ? src : -(plan.frame() * ws.visionTokens + (-src - 1)) - 1);
                boolean attend = plan.attend(first + j);
                s.put(tokMask + t, attend ? 1 : 0);
                mirror.put(b * ws.capacity + start + j, (byte) (attend ? 1 : 0)); // rope_store writes the device copy
            }
            for (int j0 = 0; j0 < count; j0 += tile) {
                s.put(tileAt++, b);
                s.put(tileAt++, first + j0);
                s.put(tileAt++, Math.min(tile, count - j0));
                s.put(tileAt++, first + j0);
            }
            s.put(tilesLast + 4 * i, b);
            s.put(tilesLast + 4 * i + 1, first + count - 1);
            s.put(tilesLast + 4 * i + 2, 1);
            s.put(tilesLast + 4 * i + 3, i);
            s.put(lastTok + i, first + count - 1);
            s.put(lastIdx + i, start + count - 1);
        }
        return new Layout(m, r, fullTiles, tokRow, tokIdx, tokPos, tokSrc, tokMask, tilesFull, tilesLast, lastTok,
                lastIdx, end);
    }
}
