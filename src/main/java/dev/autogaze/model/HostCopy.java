package dev.autogaze.model;

import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;

/**
 * Copies between Java float arrays and the start of an ND4J array's buffer without allocating arrays. Under the
 * CUDA backend the host copy is brought up to date before access and tagged as newest after a write, so the next
 * op moves it to the device (the pattern ND4J's affinity manager documents); on nd4j-native both are no-ops.
 */
final class HostCopy {

    private HostCopy() {
    }

    /** dst's first `len` elements (c order, dst must not be an offset view) = src[off..off+len). */
    static void upload(float[] src, int off, int len, INDArray dst) {
        check(dst, len);
        AffinityManager affinity = Nd4j.getAffinityManager();
        affinity.ensureLocation(dst, AffinityManager.Location.HOST);
        FloatBuffer buf = dst.data().asNioFloat();
        buf.put(src, off, len);
        affinity.tagLocation(dst, AffinityManager.Location.HOST);
    }

    /** dst[off..off+len) = src's first `len` elements. */
    static void download(INDArray src, float[] dst, int off, int len) {
        check(src, len);
        Nd4j.getAffinityManager().ensureLocation(src, AffinityManager.Location.HOST);
        src.data().asNioFloat().get(dst, off, len);
    }

    private static void check(INDArray a, int len) {
        if (a.offset() != 0 || a.length() < len || a.ordering() != 'c') {
            throw new IllegalArgumentException("host copy of " + len + " floats needs a c-order array at offset 0 with"
                    + " room for them, got " + a.shapeInfoToString());
        }
    }
}
