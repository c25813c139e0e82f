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
    /** Threads of an attention block: ATT_THREADS in autogaze.cu, for which the kernels are written. */
    private static final int ATTENTION_THREADS = 128;

    private final CudaModule module;
    private final CudaWeights w;
    private final CUstream_st stream;
    private final int hidden;
    private final int heads;
    private final int qDim;
    private final int qkvDim;
    private final int inter;
    private final int headOutDim;
    private final float eps;
    private final float scale;

    CudaDecoder(CudaModule module, CudaWeights weights, CUstream_st stream) {
        this.module = module;
        this.w = weights;
        this.stream = stream;
        AutoGazeConfig.Decoder d = weights.config.decoder();
        this.hidden = d.hiddenSize();
        this.heads = d.heads();
        this.qDim = d.heads() * d.headDim();
        this.qkvDim = qDim + 2 * d.kvHeads() * d.headDim();
        this.inter = d.intermediateSize();
        this.headOutDim = d.multiTokenHeads() * d.vocabSize() + d.multiTokenHeads();
        this.eps = d.rmsNormEps();
        this.scale = (float) (1.0 / Math.sqrt(d.headDim()));
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
        int tile = plan.prefill() ? Workspace.PREFILL_TILE : Workspace.DECODE_TILE;
        Layout lay = stage(ws, plan, tile);
        if (ws.maskDirty) {
            ws.mask.upload(ws.maskMirror.pointer(), 0, 0, (long) ws.batch * ws.capacity, stream);
            ws.maskDirty = false;
        }
        ws.ints.upload(ws.intStage.pointer(), 0, 0, (long) lay.end * Integer.BYTES, stream);
        long tokRow = bytes(lay.tokRow);
        long tokIdx = bytes(lay.tokIdx);
        if (!inputUploaded) {
            module.launch("gather_input", m, 64).ptr(ws.ints, tokRow).ptr(ws.ints, bytes(lay.tokSrc)).i(m)
                    .ptr(w.embed).ptr(vision).i(ws.frames).i(plan.frame()).i(ws.visionTokens).ptr(ws.h).on(stream);
        }
        int fullChunk = plan.prefill() ? ws.capacity : Workspace.SPLIT_CHUNK;
        int fullChunks = (ws.capacity + fullChunk - 1) / fullChunk;
        int lastChunks = (ws.capacity + Workspace.SPLIT_CHUNK - 1) / Workspace.SPLIT_CHUNK;
        CudaWeights.Layer[] layers = w.layers;
        for (int l = 0; l < layers.length; l++) {
            CudaWeights.Layer L = layers[l];
            rmsnorm(ws.h, ws.a, L.inNorm(), m);
            gemm(ws.a, hidden, L.qkv(), m, qkvDim, hidden, ws.qkv, EPI_STORE);
            module.launch("rope_store", m, 128).ptr(ws.qkv).i(m).ptr(ws.ints, tokRow).ptr(ws.ints, tokIdx)
                    .ptr(ws.ints, bytes(lay.tokPos)).ptr(ws.ints, bytes(lay.tokMask)).ptr(ws.cos).ptr(ws.sin)
                    .ptr(ws.q).ptr(ws.keys[l]).ptr(ws.values[l]).ptr(ws.mask).i(ws.capacity).on(stream);
            boolean last = l == layers.length - 1;
            DeviceArray h = ws.h;
            DeviceArray a = ws.a;
            DeviceArray att = ws.att;
            DeviceArray gateUp = ws.gateUp;
            DeviceArray act = ws.act;
            int rows = m;
            if (!last) {
                attention(ws, l, tile, lay.fullTiles, bytes(lay.tilesFull), fullChunk, fullChunks, tokIdx, tokIdx, m,
                        att);
            } else {
                module.launch("gather_rows", r, 64).ptr(ws.h).ptr(ws.ints, bytes(lay.lastTok)).i(r).ptr(ws.hLast)
                        .on(stream);
                attention(ws, l, Workspace.DECODE_TILE, r, bytes(lay.tilesLast), Workspace.SPLIT_CHUNK, lastChunks,
                        tokIdx, bytes(lay.lastIdx), r, ws.attLast);
                h = ws.hLast;
                a = ws.aLast;
                att = ws.attLast;
                gateUp = ws.gateUpLast;
                act = ws.actLast;
                rows = r;
            }
            gemm(att, qDim, L.o(), rows, hidden, qDim, h, EPI_ADD);
            rmsnorm(h, a, L.postNorm(), rows);
            gemm(a, hidden, L.gateUp(), rows, 2 * inter, hidden, gateUp, EPI_STORE);
            long n = (long) rows * inter;
            module.launch("silu_mul", (n + 255) / 256, 256).ptr(gateUp).ptr(act).i(rows).i(inter).on(stream);
            gemm(act, inter, L.down(), rows, hidden, inter, h, EPI_ADD);
        }
        rmsnorm(ws.hLast, ws.aLast, w.finalNorm, r);
        gemm(ws.aLast, hidden, w.heads, r, headOutDim, hidden, ws.headOut, EPI_STORE);
    }

    /**
     * Attention of layer l for `tiles` query tiles (at `tilesAt`) then the in-order merge of each query's chunks into
     * `out`; `qIdxAt` holds the cache index of each of the `rows` output rows.
     */
    private void attention(Workspace ws, int l, int tile, int tiles, long tilesAt, int chunk, int chunks, long tokIdxAt,
                           long qIdxAt, int rows, DeviceArray out) {
        module.launch(tile == Workspace.PREFILL_TILE ? "attention_q64" : "attention_q16", tiles, ATTENTION_THREADS)
                .grid(tiles, heads, chunks).ptr(ws.ints, tilesAt).ptr(ws.q).ptr(ws.ints, tokIdxAt)
                .ptr(ws.keys[l]).ptr(ws.values[l]).ptr(ws.mask).i(ws.capacity).i(chunk).i(chunks).f(scale)
                .ptr(ws.part).on(stream);
        long warps = (long) rows * heads;
        module.launch("attention_combine", (warps + 7) / 8, 256).ptr(ws.part).ptr(ws.ints, qIdxAt).i(rows).i(chunk)
                .i(chunks).ptr(out).on(stream);
    }

    private void rmsnorm(DeviceArray x, DeviceArray y, DeviceArray weight, int rows) {
        module.launch("rmsnorm", (rows + 7) / 8, 256).ptr(x).nullPtr().ptr(y).ptr(weight).i(rows).f(eps).on(stream);
    }

    /** C[m][n] (= or +=) A[m][k] * W[n][k]^T; small tiles for few rows (same bits either way). */
    private void gemm(DeviceArray a, int lda, DeviceArray weight, int m, int n, int k, DeviceArray c, int mode) {
        boolean small = m < 512;
        int bm = small ? 32 : 128;
        module.launch(small ? "gemm_plain_s" : "gemm_plain_l", (n + 63) / 64, small ? 128 : 256)
                .grid((n + 63) / 64, (m + bm - 1) / bm, 1).ptr(a).i(lda).ptr(weight).i(m).i(n).i(k).ptr(c).i(n)
                .i(mode).nullPtr().nullPtr().i(1).on(stream);
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
                s.put(tokSrc + t, plan.source(first + j));
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
