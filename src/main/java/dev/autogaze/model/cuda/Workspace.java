package dev.autogaze.model.cuda;

import dev.autogaze.model.AutoGazeConfig;


/**
 * Device and pinned memory for one batch shape (rows, cache slots per row, frames): the KV cache, key masks,
 * NoRepeat records, every activation of the widest call (a prefill of K + visionTokens tokens per row), attention
 * partials, the staged call plan and SELECT's outputs. Allocated once per shape and reused by every batch that fits;
 * {@link #bytes} is the device memory a batch size costs.
 */
final class Workspace implements AutoCloseable {

    /** Keys per attention block in decode steps and in the last layer (prefill layers see the whole context). */
    static final int SPLIT_CHUNK = 512;
    /** Bounds the tiles of any call: prefill tiles are wider, decode calls have one tile per row. */
    private static final int NARROWEST_TILE = 16;

    final int batch;
    final int capacity;      // slots per row, a multiple of 64
    final int frames;
    final int visionTokens;
    final int maxTokens;     // widest call: batch x (K + visionTokens)
    final int maxTiles;
    final int intSlots;

    DeviceArray[] keys;
    DeviceArray[] values;
    DeviceArray mask;
    DeviceArray used;
    DeviceArray cos;
    DeviceArray sin;
    DeviceArray h;
    DeviceArray a;
    DeviceArray qkv;
    DeviceArray q;
    DeviceArray att;
    DeviceArray act;
    DeviceArray hLast;
    DeviceArray aLast;
    DeviceArray attLast;
    DeviceArray actLast;
    DeviceArray headOut;
    DeviceArray part;
    DeviceArray ints;
    DeviceArray selectParams;
    DeviceArray selectOut;   // tokens [B][K] ints, confidences [B][K] floats, status [B][4] ints

    PinnedBuffer intStage;
    PinnedBuffer maskMirror;
    PinnedBuffer selectStage;
    PinnedBuffer selectResult;
    KernelGraphs graphs;
    boolean maskDirty;

    private final Allocations all = new Allocations();

    Workspace(AutoGazeConfig config, int batch, int capacity, int frames, int visionTokens, float[][] ropeTables) {
        AutoGazeConfig.Decoder d = config.decoder();
        this.batch = batch;
        this.capacity = (capacity + 63) / 64 * 64;
        this.frames = frames;
        this.visionTokens = visionTokens;
        int k = d.multiTokenHeads();
        int hidden = d.hiddenSize();
        int qDim = d.heads() * d.headDim();
        int qkvDim = qDim + 2 * d.kvHeads() * d.headDim();
        int inter = d.intermediateSize();
        int headOutDim = k * d.vocabSize() + k;
        this.maxTokens = batch * (k + visionTokens);
        this.maxTiles = batch * ((k + visionTokens + NARROWEST_TILE - 1) / NARROWEST_TILE);
        // tokens: row, cache index, position, source, mask; tiles: 4 ints each (full and last layer); last token and
        // last cache index per row
        this.intSlots = 5 * maxTokens + 3 + 4 * maxTiles + 4 * batch + 2 * batch; // + 3: int4 alignment of tiles
        try {
            allocate(d, k, hidden, qDim, qkvDim, inter, headOutDim, ropeTables);
        } catch (RuntimeException e) {
            close(); // a failed allocation frees what was already taken
            throw e;
        }
    }

    private void allocate(AutoGazeConfig.Decoder d, int k, int hidden, int qDim, int qkvDim, int inter,
                          int headOutDim, float[][] ropeTables) {
        long kv = (long) batch * d.kvHeads() * this.capacity * d.headDim();
        String shape = " (batch " + batch + ", " + capacity + " slots)";
        keys = new DeviceArray[d.layers()];
        values = new DeviceArray[d.layers()];
        for (int l = 0; l < keys.length; l++) {
            keys[l] = track(DeviceArray.floats(kv, "keys of layer " + l + shape));
            values[l] = track(DeviceArray.floats(kv, "values of layer " + l + shape));
        }
        mask = track(DeviceArray.allocate((long) batch * capacity, "key masks" + shape));
        used = track(DeviceArray.allocate((long) batch * d.vocabSize(), "NoRepeat records"));
        int positions = capacity;
        cos = track(DeviceArray.floats((long) positions * d.headDim() / 2, "RoPE cos"));
        sin = track(DeviceArray.floats((long) positions * d.headDim() / 2, "RoPE sin"));
        long m = maxTokens;
        h = track(DeviceArray.floats(m * hidden, "hidden states" + shape));
        a = track(DeviceArray.floats(m * hidden, "normalized states"));
        qkv = track(DeviceArray.floats(m * qkvDim, "q/k/v"));
        q = track(DeviceArray.floats(m * qDim, "rotated queries"));
        att = track(DeviceArray.floats(m * qDim, "attention output"));
        act = track(DeviceArray.floats(m * inter, "MLP activation"));
        hLast = track(DeviceArray.floats((long) batch * hidden, "last-row states"));
        aLast = track(DeviceArray.floats((long) batch * hidden, "last-row normalized states"));
        attLast = track(DeviceArray.floats((long) batch * qDim, "last-row attention"));
        actLast = track(DeviceArray.floats((long) batch * inter, "last-row activation"));
        headOut = track(DeviceArray.floats((long) batch * headOutDim, "output heads"));
        int splits = (capacity + SPLIT_CHUNK - 1) / SPLIT_CHUNK;
        long partials = (long) batch * k * d.heads() * splits; // decode queries only: a prefill writes its outputs
        part = track(DeviceArray.floats(partials * (d.headDim() + 2), "attention partials"));
        ints = track(DeviceArray.allocate((long) intSlots * Integer.BYTES, "call plan"));
        selectParams = track(DeviceArray.allocate((long) batch * 5 * Integer.BYTES, "select parameters"));
        selectOut = track(DeviceArray.allocate((long) batch * (2 * k + 4) * Integer.BYTES, "select output"));
        intStage = track(new PinnedBuffer((long) intSlots * Integer.BYTES, "call plan staging"));
        maskMirror = track(new PinnedBuffer((long) batch * capacity, "key mask mirror"));
        selectStage = track(new PinnedBuffer((long) batch * 5 * Integer.BYTES, "select parameters staging"));
        selectResult = track(new PinnedBuffer((long) batch * (2 * k + 4) * Integer.BYTES, "select output staging"));
        uploadRope(ropeTables);
        graphs = track(new KernelGraphs()); // closed first: the graphs name the buffers above
    }

    private <T extends AutoCloseable> T track(T x) {
        return all.track(x);
    }

    private void uploadRope(float[][] tables) {
        try (org.bytedeco.javacpp.FloatPointer c = new org.bytedeco.javacpp.FloatPointer(tables[0]);
             org.bytedeco.javacpp.FloatPointer s = new org.bytedeco.javacpp.FloatPointer(tables[1])) {
            long n = Math.min((long) tables[0].length * Float.BYTES, cos.bytes());
            Cuda.check(org.bytedeco.cuda.global.cudart.cudaMemcpy(cos.at(0), c, n,
                    org.bytedeco.cuda.global.cudart.cudaMemcpyHostToDevice), "upload of RoPE cos");
            Cuda.check(org.bytedeco.cuda.global.cudart.cudaMemcpy(sin.at(0), s, n,
                    org.bytedeco.cuda.global.cudart.cudaMemcpyHostToDevice), "upload of RoPE sin");
        }
    }

    /** True when a batch of this shape fits without reallocating. */
    boolean fits(int batch, int capacity, int frames, int visionTokens) {
        return batch == this.batch && capacity <= this.capacity && frames == this.frames
                && visionTokens == this.visionTokens;
    }

    /** Device bytes held. */
    long bytes() {
        return all.deviceBytes();
    }

    /** Clears the key masks (host mirror and device) for a new batch. */
    void resetMasks() {
        java.nio.ByteBuffer m = maskMirror.buffer();
        byte[] zeros = new byte[Math.min(m.capacity(), 1 << 16)];
        for (int i = 0; i < m.capacity(); i += zeros.length) {
            m.put(i, zeros, 0, Math.min(zeros.length, m.capacity() - i));
        }
        maskDirty = true;
    }

    void setMask(int b, int index, boolean attendable) {
        if (b < 0 || b >= batch || index < 0 || index >= capacity) {
            throw new IndexOutOfBoundsException("mask slot (" + b + ", " + index + ") outside " + batch + " x " + capacity);
        }
        maskMirror.buffer().put(b * capacity + index, (byte) (attendable ? 1 : 0));
        maskDirty = true;
    }

    @Override
    public void close() {
        all.close();
    }
}
