package dev.autogaze.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The {@link Nd4jDecoder}'s activation buffers, allocated once for up to `batch` rows of `count` tokens (regrown
 * only when a call needs more), and the shaped views of them one call shape (B, count) uses, built once per shape
 * so the steady state allocates no ND4J buffers.
 */
final class Nd4jWork {

    final int batch;
    final int count;
    private final int hidden;
    private final int qkvHeads;
    private final int headDim;
    private final int inter;
    private final int kv;
    private final int outHeads;

    final INDArray h;
    private final INDArray hLast;
    private final Buffers full;
    private final Buffers lastRows;
    private final INDArray qkv;
    private final INDArray rot;
    final INDArray cos;
    final INDArray sin;
    final float[] hostCos;
    final float[] hostSin;
    final INDArray logits;
    final INDArray taskLoss;
    INDArray qc = empty();
    INDArray attc = empty();
    INDArray scores = empty();
    INDArray mask = empty();
    /** Query rows (first << 32 | count) the mask buffer holds for the current call; -1 = none. */
    long maskRows = -1;
    /** [c][c] additive causal mask: 0 on and below the diagonal, −inf above. */
    INDArray causal = empty();

    /** Per-row activations of the rows that run past attention (every token, or the last one of each row). */
    private static final class Buffers {
        final INDArray a;
        final INDArray sq;
        final INDArray sqD;
        final INDArray sumD;
        final INDArray inv;
        final INDArray att;
        final INDArray tmp;
        final INDArray gateUp;
        final INDArray act;

        Buffers(long rows, int hidden, int qDim, int inter) {
            a = Nd4j.create(DataType.FLOAT, rows * hidden);
            sq = Nd4j.create(DataType.FLOAT, rows * hidden);
            sqD = Nd4j.create(DataType.DOUBLE, rows * hidden);
            sumD = Nd4j.create(DataType.DOUBLE, rows);
            inv = Nd4j.create(DataType.FLOAT, rows);
            att = Nd4j.create(DataType.FLOAT, rows * qDim);
            tmp = Nd4j.create(DataType.FLOAT, rows * hidden);
            gateUp = Nd4j.create(DataType.FLOAT, rows * 2L * inter);
            act = Nd4j.create(DataType.FLOAT, rows * inter);
        }
    }

    Nd4jWork(int batch, int count, int hidden, int qkvHeads, int headDim, int inter, int kv, int outHeads) {
        this.batch = batch;
        this.count = count;
        this.hidden = hidden;
        this.qkvHeads = qkvHeads;
        this.headDim = headDim;
        this.inter = inter;
        this.kv = kv;
        this.outHeads = outHeads;
        long tokens = (long) batch * count;
        int qDim = hidden; // heads * headDim == hidden (checked by AutoGazeConfig)
        h = Nd4j.create(DataType.FLOAT, tokens * hidden);
        hLast = Nd4j.create(DataType.FLOAT, (long) batch * hidden);
        full = new Buffers(tokens, hidden, qDim, inter);
        lastRows = new Buffers(batch, hidden, qDim, inter);
        qkv = Nd4j.create(DataType.FLOAT, tokens * qkvHeads * headDim);
        rot = Nd4j.create(DataType.FLOAT, tokens * qkvHeads * headDim);
        cos = Nd4j.create(DataType.FLOAT, tokens * headDim);
        sin = Nd4j.create(DataType.FLOAT, tokens * headDim);
        hostCos = new float[(int) (tokens * headDim)];
        hostSin = new float[(int) (tokens * headDim)];
        logits = Nd4j.create(DataType.FLOAT, (long) batch * kv);
        taskLoss = Nd4j.create(DataType.FLOAT, (long) batch * outHeads);
    }

    private static INDArray empty() {
        return Nd4j.create(DataType.FLOAT, 1);
    }

    boolean fits(int b, int c) {
        return b <= batch && c <= count;
    }

    /** Frees every buffer now; views of them must not be used afterwards. */
    void close() {
        for (INDArray a : new INDArray[] {h, hLast, qkv, rot, cos, sin, logits, taskLoss, qc, attc, scores, mask,
                causal}) {
            release(a);
        }
        for (Buffers b : new Buffers[] {full, lastRows}) {
            for (INDArray a : new INDArray[] {b.a, b.sq, b.sqD, b.sumD, b.inv, b.att, b.tmp, b.gateUp, b.act}) {
                release(a);
            }
        }
    }

    /** Closes an array that owns its buffer (not a view), once. */
    static void release(INDArray a) {
        if (a != null && a.closeable() && !a.wasClosed()) {
            a.close();
        }
    }

    /** Grows the attention buffers to hold `scoreFloats` scores, `maskFloats` mask values and a c×c causal mask. */
    void ensureScores(long scoreFloats, long maskFloats, int c) {
        if (scores.length() < scoreFloats) {
            release(scores);
            scores = Nd4j.create(DataType.FLOAT, scoreFloats);
        }
        if (mask.length() < maskFloats) {
            release(mask);
            mask = Nd4j.create(DataType.FLOAT, maskFloats);
            maskRows = -1;
        }
        long q = (long) batch * count * hidden;
        if (qc.length() < q) {
            release(qc);
            release(attc);
            qc = Nd4j.create(DataType.FLOAT, q);
            attc = Nd4j.create(DataType.FLOAT, q);
        }
        if (causal.rank() != 2 || causal.rows() < c) {
            int n = Math.max(c, count);
            float[] t = new float[n * n];
            for (int i = 0; i < n; i++) {
                java.util.Arrays.fill(t, i * n + i + 1, (i + 1) * n, Float.NEGATIVE_INFINITY);
            }
            release(causal);
            causal = Nd4j.create(t, new long[] {n, n}, DataType.FLOAT);
        }
    }

    /** Views of one call shape (b rows of c new tokens) over these buffers. */
    Views views(int b, int c, int heads, int kvHeads) {
        return new Views(b, c, heads, kvHeads);
    }

    /** The rows that continue past attention in one layer and their views. */
    final class Rows {
        final int queries;
        private final int qFrom;
        private final INDArray qkv4;
        private final INDArray att4;
        final INDArray h;
        final INDArray a;
        final INDArray sq;
        final INDArray sqD;
        final INDArray sumD;
        final INDArray inv;
        final INDArray att;
        final INDArray tmp;
        final INDArray gateUp;
        final INDArray gate;
        final INDArray up;
        final INDArray act;

        Rows(int b, int c, int nq, int heads, INDArray hRows, Buffers buf, INDArray qkv4) {
            long rows = (long) b * nq;
            this.queries = nq;
            this.qFrom = c - nq;
            this.qkv4 = qkv4;
            this.h = hRows;
            this.a = prefix(buf.a, rows, hidden);
            this.sq = prefix(buf.sq, rows, hidden);
            this.sqD = prefix(buf.sqD, rows, hidden);
            this.sumD = prefix(buf.sumD, rows);
            this.inv = prefix(buf.inv, rows);
            this.att = prefix(buf.att, rows, (long) heads * headDim);
            this.att4 = att.reshape('c', b, nq, heads, headDim);
            this.tmp = prefix(buf.tmp, rows, hidden);
            this.gateUp = prefix(buf.gateUp, rows, 2L * inter);
            this.gate = gateUp.get(NDArrayIndex.all(), NDArrayIndex.interval(0, inter));
            this.up = gateUp.get(NDArrayIndex.all(), NDArrayIndex.interval(inter, 2 * inter));
            this.act = prefix(buf.act, rows, inter);
        }

        /** Rotated queries of query rows [i0, i0 + n) as [B][heads][n][headDim]. */
        INDArray query(int i0, int n) {
            int heads = (int) att4.size(2);
            return qkv4.get(NDArrayIndex.all(), NDArrayIndex.interval(qFrom + i0, qFrom + i0 + n),
                    NDArrayIndex.interval(0, heads), NDArrayIndex.all()).permute(0, 2, 1, 3);
        }

        /** Where attention writes query rows [i0, i0 + n): [B][n][heads][headDim]. */
        INDArray attended(int i0, int n) {
            return att4.get(NDArrayIndex.all(), NDArrayIndex.interval(i0, i0 + n), NDArrayIndex.all(),
                    NDArrayIndex.all());
        }
    }

    /** Every view one call shape needs. */
    final class Views {
        final INDArray h;
        final INDArray a;
        final INDArray sq;
        final INDArray sqD;
        final INDArray sumD;
        final INDArray inv;
        final INDArray qkv;
        final INDArray qk;
        final INDArray qkFirst;
        final INDArray qkSecond;
        final INDArray rot;
        final INDArray rotFirst;
        final INDArray rotSecond;
        final INDArray cos;
        final INDArray sin;
        final INDArray k;
        final INDArray v;
        final INDArray lastH;
        final INDArray logits;
        final INDArray taskLoss;
        final Rows allRows;
        final Rows lastRows;

        Views(int b, int c, int heads, int kvHeads) {
            long tokens = (long) b * c;
            int half = headDim / 2;
            h = prefix(Nd4jWork.this.h, tokens, hidden);
            qkv = prefix(Nd4jWork.this.qkv, tokens, (long) qkvHeads * headDim);
            INDArray qkv4 = qkv.reshape('c', b, c, qkvHeads, headDim);
            allRows = new Rows(b, c, c, heads, h, full, qkv4);
            a = allRows.a;
            sq = allRows.sq;
            sqD = allRows.sqD;
            sumD = allRows.sumD;
            inv = allRows.inv;
            int rotated = heads + kvHeads;
            qk = qkv4.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, rotated), NDArrayIndex.all());
            qkFirst = qk.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, half));
            qkSecond = qk.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.interval(half, headDim));
            rot = prefix(Nd4jWork.this.rot, b, c, rotated, headDim);
            rotFirst = rot.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, half));
            rotSecond = rot.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.interval(half, headDim));
            cos = prefix(Nd4jWork.this.cos, b, c, 1, headDim);
            sin = prefix(Nd4jWork.this.sin, b, c, 1, headDim);
            k = qkv4.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(heads, rotated),
                    NDArrayIndex.all()).permute(0, 2, 1, 3);
            v = qkv4.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(rotated, qkvHeads),
                    NDArrayIndex.all()).permute(0, 2, 1, 3);
            lastH = h.reshape('c', b, c, hidden).get(NDArrayIndex.all(), NDArrayIndex.point(c - 1), NDArrayIndex.all());
            logits = prefix(Nd4jWork.this.logits, b, kv);
            taskLoss = prefix(Nd4jWork.this.taskLoss, b, outHeads);
            lastRows = new Rows(b, c, 1, heads, prefix(hLast, b, hidden), Nd4jWork.this.lastRows, qkv4);
        }
    }

    /** A c-order view of the first elements of a flat buffer. */
    static INDArray prefix(INDArray flat, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return flat.get(NDArrayIndex.interval(0, n)).reshape('c', shape);
    }
}
