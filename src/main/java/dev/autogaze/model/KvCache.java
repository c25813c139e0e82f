package dev.autogaze.model;

/**
 * The decoder's key/value cache for a whole clip, allocated once: per layer and batch row, rotated keys stored
 * in blocks of 32 keys, dimension-major inside a block ([kvHead][capacity/32][headDim][32], so query·key runs over
 * contiguous keys and a block is one 4 KiB stream) and values token-major
 * ([kvHead][capacity][headDim], so the weighted sum streams each value once), plus the per-row 2-D key mask kept
 * as an additive bias (0 = attendable, −inf = masked pad).
 */
public final class KvCache extends CacheSlots {

    private final int layers;
    private final int kvHeads;
    private final int headDim;
    final float[][][] keysT;
    final float[][][] values;
    final float[][] bias;

    /** Slots per row: the requested capacity rounded up to the kernels' padding. */
    public KvCache(int batch, int layers, int kvHeads, int headDim, int capacity) {
        super(batch, capacity, Kernels.padded(capacity));
        int cap = capacity();
        long perRow = (long) kvHeads * headDim * cap;
        if (perRow > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("KV cache capacity " + capacity + " is too large for one array per row");
        }
        this.layers = layers;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.keysT = new float[layers][batch][(int) perRow];
        this.values = new float[layers][batch][(int) perRow];
        this.bias = new float[batch][cap];
    }

    public int layers() {
        return layers;
    }

    /** Sets the key-mask value of cache index `index` of batch row b (true = attendable, false = masked pad). */
    @Override
    public void setMask(int b, int index, boolean attendable) {
        checkSlot(b, index);
        bias[b][index] = attendable ? 0f : Float.NEGATIVE_INFINITY;
    }

    @Override
    public boolean mask(int b, int index) {
        return bias[b][index] == 0f;
    }

    /** Bytes held by the cache arrays. */
    @Override
    public long bytes() {
        return 2L * layers * batch() * kvHeads * headDim * capacity() * Float.BYTES
                + (long) batch() * capacity() * Float.BYTES;
    }
}
