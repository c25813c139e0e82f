package dev.autogaze.model;

/**
 * The decoder's key/value cache for a whole clip, allocated once: per layer and batch row, rotated keys stored
 * in blocks of 32 keys, dimension-major inside a block ([kvHead][capacity/32][headDim][32], so query·key runs over
 * contiguous keys and a block is one 4 KiB stream) and values token-major
 * ([kvHead][capacity][headDim], so the weighted sum streams each value once), plus the per-row 2-D key mask kept
 * as an additive bias (0 = attendable, −inf = masked pad).
 */
public final class KvCache implements DecoderCache {

    private final int batch;
    private final int layers;
    private final int kvHeads;
    private final int headDim;
    private final int capacity;
    final float[][][] keysT;
    final float[][][] values;
    final float[][] bias;
    private int length;

    public KvCache(int batch, int layers, int kvHeads, int headDim, int capacity) {
        if (batch <= 0 || capacity <= 0) {
            throw new IllegalArgumentException("KV cache needs batch > 0 and capacity > 0, got batch " + batch
                    + ", capacity " + capacity);
        }
        int cap = Kernels.padded(capacity);
        long perRow = (long) kvHeads * headDim * cap;
        if (perRow > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("KV cache capacity " + capacity + " is too large for one array per row");
        }
        this.batch = batch;
        this.layers = layers;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.capacity = cap;
        this.keysT = new float[layers][batch][(int) perRow];
        this.values = new float[layers][batch][(int) perRow];
        this.bias = new float[batch][cap];
    }

    @Override
    public int batch() {
        return batch;
    }

    public int layers() {
        return layers;
    }

    /** Token slots per row (the requested capacity rounded up to the kernels' padding). */
    @Override
    public int capacity() {
        return capacity;
    }

    /** Tokens cached so far (the next cache index). */
    @Override
    public int length() {
        return length;
    }

    /** Forgets every token; the arrays are reused. */
    @Override
    public void reset() {
        length = 0;
    }

    /** Sets the key-mask value of cache index `index` of batch row b (true = attendable, false = masked pad). */
    @Override
    public void setMask(int b, int index, boolean attendable) {
        if (index < 0 || index >= capacity) {
            throw new IndexOutOfBoundsException("cache index " + index + " is outside [0, " + capacity + ")");
        }
        bias[b][index] = attendable ? 0f : Float.NEGATIVE_INFINITY;
    }

    @Override
    public boolean mask(int b, int index) {
        return bias[b][index] == 0f;
    }

    /** Reserves [length, length + count) for the tokens about to be fed; they must fit the capacity. */
    int append(int count) {
        if (length + count > capacity) {
            throw new IllegalStateException("KV cache overflow: " + length + " + " + count + " tokens exceed capacity "
                    + capacity);
        }
        int start = length;
        length += count;
        return start;
    }

    /** Bytes held by the cache arrays. */
    @Override
    public long bytes() {
        return 2L * layers * batch * kvHeads * headDim * capacity * Float.BYTES + (long) batch * capacity * Float.BYTES;
    }
}
