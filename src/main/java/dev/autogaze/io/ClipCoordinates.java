package dev.autogaze.io;

import dev.autogaze.readout.TokenPatches;
import dev.autogaze.readout.VideoCoordinates;
import dev.autogaze.readout.VideoGeometry;

/**
 * One clip row as read back by {@link ClipParquetReader}: its ids, the downstream token grid and the kept tokens
 * as parallel int arrays (no per-token objects), its statistics and, when asked for, its fixations.
 *
 * @param split      the split (from the row, or from the {@code split=} directory), or null
 * @param geometry   the downstream grid: video_frames, video_height/width, tubelet, patch
 * @param t          coords_t; row, col and tokenIndex alike, all of length token_count, sorted by token index
 * @param fixations  the fix_* columns, or null when the reader was not asked for them
 * @param patches    the kept tokens' pixels, token i = coordinate i, or null when the reader was not asked for them
 */
public record ClipCoordinates(String videoId, String sourcePath, String split, int clipIndex, String configHash,
                              String gazeSource, int[] frameIndices, int sourceWidth, int sourceHeight,
                              VideoGeometry geometry, int[] t, int[] row, int[] col, int[] tokenIndex,
                              ClipStats stats, ClipFixations fixations, TokenPatches patches) {

    public ClipCoordinates {
        int n = tokenIndex.length;
        if (t.length != n || row.length != n || col.length != n || stats.tokenCount() != n) {
            throw new IllegalArgumentException("clip " + videoId + "#" + clipIndex + ": coords_t " + t.length
                    + ", coords_row " + row.length + ", coords_col " + col.length + ", token_index " + n
                    + " and token_count " + stats.tokenCount() + " differ");
        }
        if (patches != null && (patches.count() != n || patches.tubelet() != geometry.tubelet()
                || patches.patch() != geometry.patch())) {
            throw new IllegalArgumentException("clip " + videoId + "#" + clipIndex + ": " + patches + " for " + n
                    + " tokens of tubelet " + geometry.tubelet() + ", patch " + geometry.patch());
        }
        if (frameIndices.length != geometry.frames()) {
            throw new IllegalArgumentException("clip " + videoId + "#" + clipIndex + " has " + frameIndices.length
                    + " frame indices but video_frames is " + geometry.frames());
        }
    }

    public int count() {
        return tokenIndex.length;
    }

    /** This clip's tokens as {@code [batch, t, row, col]} rows with the given batch column. */
    public VideoCoordinates toVideoCoordinates(int batch) {
        int[] flat = new int[4 * count()];
        for (int i = 0, k = 0; i < t.length; i++, k += 4) {
            flat[k] = batch;
            flat[k + 1] = t[i];
            flat[k + 2] = row[i];
            flat[k + 3] = col[i];
        }
        return new VideoCoordinates(geometry, flat);
    }

    @Override
    public String toString() {
        return "ClipCoordinates[" + videoId + " #" + clipIndex + (split == null ? "" : " (" + split + ")") + ", "
                + count() + " tokens of " + geometry.bins() + "x" + geometry.rows() + "x" + geometry.cols() + ", "
                + gazeSource + " " + configHash + "]";
    }
}
