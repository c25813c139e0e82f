package dev.autogaze.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@link Nd4jDecoder}'s key/value cache: per layer, rotated keys and values as ND4J arrays [B][kvHead][capacity]
 * [headDim] allocated once for the clip (on the GPU under the CUDA backend), plus the per-row additive key mask
 * (0 / −inf), kept on the host where the generation loop sets it and copied to the device once per forward call.
 */
public final class Nd4jKvCache extends CacheSlots {

    final INDArray[] keys;
    final INDArray[] values;
    /** Host key mask [B][capacity], flat. */
    private final float[] bias;
    /** Device copy [B][1][capacity] (the unit axis broadcasts over query rows). */
    final INDArray deviceBias;
    private boolean biasDirty = true;

    Nd4jKvCache(int batch, int layers, int kvHeads, int headDim, int capacity) {
        super(batch, capacity, capacity);
        this.keys = new INDArray[layers];
        this.values = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            keys[l] = Nd4j.create(DataType.FLOAT, batch, kvHeads, capacity, headDim);
            values[l] = Nd4j.create(DataType.FLOAT, batch, kvHeads, capacity, headDim);
        }
        this.bias = new float[batch * capacity];
        this.deviceBias = Nd4j.create(DataType.FLOAT, batch, 1, capacity);
    }

    @Override
    public void setMask(int b, int index, boolean attendable) {
        checkSlot(b, index);
        float v = attendable ? 0f : Float.NEGATIVE_INFINITY;
        if (bias[b * capacity() + index] != v) {
            bias[b * capacity() + index] = v;
            biasDirty = true;
        }
    }

    @Override
    public boolean mask(int b, int index) {
        return bias[b * capacity() + index] == 0f;
    }

    @Override
    public long bytes() {
        long kv = 0;
        for (int l = 0; l < keys.length; l++) {
            kv += keys[l].length() + values[l].length();
        }
        return (kv + 2L * bias.length) * Float.BYTES;
    }

    @Override
    public void close() {
        for (int l = 0; l < keys.length; l++) {
            Nd4jWork.release(keys[l]);
            Nd4jWork.release(values[l]);
        }
        Nd4jWork.release(deviceBias);
    }

    /** Copies the host key mask to the device if it changed since the last call. */
    void syncBias() {
        if (biasDirty) {
            HostCopy.upload(bias, 0, bias.length, deviceBias);
            biasDirty = false;
        }
    }
}
