package dev.autogaze.readout;

import java.util.Arrays;
import java.util.List;

/**
 * The pixels of kept video tokens as {@code [count, tubelet, patch, patch, 3]} uint8 (row-major, frames of a tubelet
 * in time order, R G B), token i being the i-th coordinate: what a sparse patch embedding consumes, so that a
 * training job needs neither the source video nor a decoder.
 *
 * @param data values 0-255 in signed bytes, {@code count * tokenBytes()} of them
 */
public record TokenPatches(int count, int tubelet, int patch, byte[] data) {

    public TokenPatches {
        if (count < 0 || tubelet <= 0 || patch <= 0) {
            throw new IllegalArgumentException("token patches count=" + count + " tubelet=" + tubelet + " patch="
                    + patch + ": sizes must be positive");
        }
        long expected = (long) count * tubelet * patch * patch * 3;
        if (data.length != expected) {
            throw new IllegalArgumentException(data.length + " patch bytes for " + count + " tokens of " + tubelet
                    + "x" + patch + "x" + patch + "x3, expected " + expected);
        }
    }

    /** Bytes of one token: tubelet · patch · patch · 3. */
    public int tokenBytes() {
        return tubelet * patch * patch * 3;
    }

    /** Channel c (0 = R) of pixel (y, x) of frame f (0 .. tubelet-1) of token i, as 0-255. */
    public int sample(int i, int f, int y, int x, int c) {
        return data[(((i * tubelet + f) * patch + y) * patch + x) * 3 + c] & 0xFF;
    }

    /**
     * Cuts the tokens {@code (t[i], row[i], col[i])} out of a clip's frames at the downstream size.
     *
     * @param frames {@code geometry.frames()} packed RGB frames of {@code geometry.height() x geometry.width()}
     */
    public static TokenPatches gather(VideoGeometry geometry, byte[][] frames, int[] t, int[] row, int[] col) {
        if (frames.length != geometry.frames()) {
            throw new IllegalArgumentException(frames.length + " frames for a geometry of " + geometry.frames());
        }
        int w = geometry.width();
        int p = geometry.patch();
        int tubelet = geometry.tubelet();
        int rowBytes = p * 3;
        for (int f = 0; f < frames.length; f++) {
            if (frames[f].length != geometry.height() * w * 3) {
                throw new IllegalArgumentException("frame " + f + " has " + frames[f].length + " bytes, expected "
                        + geometry.height() * w * 3 + " for " + w + "x" + geometry.height() + " RGB");
            }
        }
        int n = t.length;
        if (row.length != n || col.length != n) {
            throw new IllegalArgumentException("coordinate lists differ in length: " + n + ", " + row.length + ", "
                    + col.length);
        }
        byte[] out = new byte[n * tubelet * p * rowBytes];
        int o = 0;
        for (int i = 0; i < n; i++) {
            if (t[i] < 0 || t[i] >= geometry.bins() || row[i] < 0 || row[i] >= geometry.rows() || col[i] < 0
                    || col[i] >= geometry.cols()) {
                throw new IllegalArgumentException("token " + i + " = [" + t[i] + ", " + row[i] + ", " + col[i]
                        + "] is outside the " + geometry.bins() + "x" + geometry.rows() + "x" + geometry.cols()
                        + " grid");
            }
            for (int f = 0; f < tubelet; f++) {
                byte[] frame = frames[t[i] * tubelet + f];
                int src = ((row[i] * p) * w + col[i] * p) * 3;
                for (int y = 0; y < p; y++, src += w * 3, o += rowBytes) {
                    System.arraycopy(frame, src, out, o, rowBytes);
                }
            }
        }
        return new TokenPatches(n, tubelet, p, out);
    }

    /** The tokens of several clips in order (a training batch), which must share tubelet and patch size. */
    public static TokenPatches concat(List<TokenPatches> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no token patches to join");
        }
        TokenPatches first = parts.get(0);
        long bytes = 0;
        int count = 0;
        for (TokenPatches p : parts) {
            if (p.tubelet != first.tubelet || p.patch != first.patch) {
                throw new IllegalArgumentException("token patches of " + p.tubelet + "x" + p.patch + "x" + p.patch
                        + " and " + first.tubelet + "x" + first.patch + "x" + first.patch + " cannot be joined");
            }
            bytes += p.data.length;
            count += p.count;
        }
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(bytes + " patch bytes do not fit one array; use smaller batches");
        }
        byte[] out = new byte[(int) bytes];
        int o = 0;
        for (TokenPatches p : parts) {
            System.arraycopy(p.data, 0, out, o, p.data.length);
            o += p.data.length;
        }
        return new TokenPatches(count, first.tubelet, first.patch, out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenPatches p && count == p.count && tubelet == p.tubelet && patch == p.patch
                && Arrays.equals(data, p.data);
    }

    @Override
    public int hashCode() {
        return (count * 31 + tubelet) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "TokenPatches[" + count + " x " + tubelet + "x" + patch + "x" + patch + "x3 uint8]";
    }
}
