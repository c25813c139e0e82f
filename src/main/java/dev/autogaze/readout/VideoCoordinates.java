package dev.autogaze.readout;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Selected video tokens as {@code [batch, temporal, row, col]} rows, in (batch, bin, raster) order: the form the
 * downstream model gathers by. Also offers the flat index {@code ((t·rows)+r)·cols+c} and an int32 [N, 4] INDArray.
 *
 * @param geometry the token grid the coordinates live in
 * @param flat     N·4 ints, row i = flat[4i .. 4i+3]
 */
public record VideoCoordinates(VideoGeometry geometry, int[] flat) {

    public VideoCoordinates {
        if (flat.length % 4 != 0) {
            throw new IllegalArgumentException("coordinate array length " + flat.length + " is not a multiple of 4");
        }
        flat = flat.clone();
        for (int i = 0; i < flat.length; i += 4) {
            if (flat[i] < 0 || flat[i + 1] < 0 || flat[i + 1] >= geometry.bins() || flat[i + 2] < 0
                    || flat[i + 2] >= geometry.rows() || flat[i + 3] < 0 || flat[i + 3] >= geometry.cols()) {
                throw new IllegalArgumentException("coordinate " + i / 4 + " = [" + flat[i] + ", " + flat[i + 1] + ", "
                        + flat[i + 2] + ", " + flat[i + 3] + "] is outside " + geometry.bins() + " bins x "
                        + geometry.rows() + "x" + geometry.cols());
            }
        }
    }

    /** Joins per-row coordinates into one [N, 4] (each part keeps its own batch column). */
    public static VideoCoordinates concat(VideoGeometry geometry, List<VideoCoordinates> parts) {
        int n = 0;
        for (VideoCoordinates p : parts) {
            if (!p.geometry.equals(geometry)) {
                throw new IllegalArgumentException("cannot join coordinates of " + p.geometry + " into " + geometry);
            }
            n += p.flat.length;
        }
        int[] all = new int[n];
        int k = 0;
        for (VideoCoordinates p : parts) {
            System.arraycopy(p.flat, 0, all, k, p.flat.length);
            k += p.flat.length;
        }
        return new VideoCoordinates(geometry, all);
    }

    public int count() {
        return flat.length / 4;
    }

    public int batch(int i) {
        return flat[4 * i];
    }

    public int temporal(int i) {
        return flat[4 * i + 1];
    }

    public int row(int i) {
        return flat[4 * i + 2];
    }

    public int col(int i) {
        return flat[4 * i + 3];
    }

    /** Row-major [N·4] copy. */
    @Override
    public int[] flat() {
        return flat.clone();
    }

    /** [N][4] copy. */
    public int[][] toArray() {
        int[][] out = new int[count()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = Arrays.copyOfRange(flat, 4 * i, 4 * i + 4);
        }
        return out;
    }

    /** Flat video-token index {@code ((t·rows)+r)·cols+c} per row (the batch column is not part of it). */
    public int[] flatIndices() {
        int[] out = new int[count()];
        for (int i = 0; i < out.length; i++) {
            out[i] = geometry.flatIndex(flat[4 * i + 1], flat[4 * i + 2], flat[4 * i + 3]);
        }
        return out;
    }

    /** An int32 INDArray of shape [N, 4]. */
    public INDArray toINDArray() {
        if (flat.length == 0) {
            return Nd4j.create(DataType.INT32, 0, 4);
        }
        return Nd4j.createFromArray(flat).reshape(count(), 4);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VideoCoordinates v && geometry.equals(v.geometry) && Arrays.equals(flat, v.flat);
    }

    @Override
    public int hashCode() {
        return geometry.hashCode() * 31 + Arrays.hashCode(flat);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("VideoCoordinates[N=").append(count()).append(":");
        for (int i = 0; i < Math.min(count(), 20); i++) {
            sb.append(" [").append(batch(i)).append(',').append(temporal(i)).append(',').append(row(i)).append(',')
                    .append(col(i)).append(']');
        }
        return sb.append(count() > 20 ? " ...]" : "]").toString();
    }
}
