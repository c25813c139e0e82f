package dev.autogaze.io;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;

/**
 * One output row: a clip's ids, the configuration it was made with, its downstream coordinates and its fixations,
 * all as primitive arrays so that the Parquet columns are plain lists (see docs/output-schema.md).
 * Built by the job's clip processor; {@link OutputSchema#toRow} turns it into a Spark row.
 *
 * @param coordsT, coordsRow, coordsCol, tokenIndex the kept video tokens, sorted by token index (the batch column
 *                                                  of [batch, temporal, row, col] is filled by the loaders)
 * @param fixFrame ... fixY1 per real fixation, frames ascending, gaze order within a frame; rect in source pixels
 * @param modelFrameSize, scales, tokensPerFrame, scalePatch the id layout the fix_* columns live in: the gaze
 *                                                  model's, or a resolution-adaptation target's
 * @param tileRows, tileCols, tileSize the AnyRes tiling (`--tiles`) the clip was gazed in; 0, 0, 0 when untiled
 * @param tokensEachFrame distinct downstream patch tokens each clip frame's gazes cover (before the tubelet union
 *                        and the bin budgets)
 * @param patches the kept tokens' pixels, [token_count, tubelet, patch, patch, 3] uint8 in coordinate order, or null
 *                when the run does not export them ({@code --emit-patches})
 */
public record ClipRow(
        String videoId, String sourcePath, String split, Map<String, String> extra,
        int clipIndex, int[] frameIndices, double[] timestampsSec, int paddedFrames,
        int sourceWidth, int sourceHeight,
        String gazeSource, String configHash, float gazingRatio, float[] gazingRatioEachFrame,
        Float taskLossRequirement, int maxGazeTokensPerFrame,
        int modelFrameSize, int[] scales, int tokensPerFrame, int scalePatch, int tileRows, int tileCols, int tileSize,
        int videoFrames, int videoHeight, int videoWidth, int tubelet, int patch,
        int gridT, int gridH, int gridW,
        int[] numGazingEachFrame,
        int[] coordsT, int[] coordsRow, int[] coordsCol, int[] tokenIndex,
        int[] fixFrame, int[] fixId, int[] fixScale, int[] fixRow, int[] fixCol, float[] fixConfidence,
        float[] fixX0, float[] fixY0, float[] fixX1, float[] fixY1,
        int realGazes, int padGazes, int[] tokensEachFrame, int[] tokensPerBin, double keepRatio,
        String device, byte[] patches) implements Serializable {

    public ClipRow {
        int k = tokenIndex.length;
        if (coordsT.length != k || coordsRow.length != k || coordsCol.length != k) {
            throw new IllegalArgumentException("clip " + videoId + "#" + clipIndex + ": coordinate lists differ in length ("
                    + coordsT.length + ", " + coordsRow.length + ", " + coordsCol.length + ", " + k + ")");
        }
        int f = fixId.length;
        if (fixFrame.length != f || fixScale.length != f || fixRow.length != f || fixCol.length != f
                || fixConfidence.length != f || fixX0.length != f || fixY0.length != f || fixX1.length != f
                || fixY1.length != f) {
            throw new IllegalArgumentException("clip " + videoId + "#" + clipIndex + ": fixation lists differ in length");
        }
        if (patches != null && patches.length != (long) k * tubelet * patch * patch * 3) {
            throw new IllegalArgumentException("clip " + videoId + "#" + clipIndex + ": " + patches.length
                    + " patch bytes for " + k + " tokens of " + tubelet + "x" + patch + "x" + patch + "x3");
        }
        if (frameIndices.length != timestampsSec.length) {
            throw new IllegalArgumentException("clip " + videoId + "#" + clipIndex + " has " + frameIndices.length
                    + " frame indices but " + timestampsSec.length + " timestamps");
        }
    }

    /** Number of kept video tokens. */
    public int tokenCount() {
        return tokenIndex.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClipRow r && videoId.equals(r.videoId) && clipIndex == r.clipIndex
                && configHash.equals(r.configHash) && Arrays.equals(tokenIndex, r.tokenIndex)
                && Arrays.equals(fixId, r.fixId) && Arrays.equals(fixFrame, r.fixFrame)
                && Arrays.equals(frameIndices, r.frameIndices);
    }

    @Override
    public int hashCode() {
        return (videoId.hashCode() * 31 + clipIndex) * 31 + Arrays.hashCode(tokenIndex);
    }

    @Override
    public String toString() {
        return "ClipRow[" + videoId + " #" + clipIndex + ", frames " + Arrays.toString(frameIndices) + ", "
                + realGazes + " gazes (" + padGazes + " pads), " + tokenIndex.length + " tokens of " + gridT + "x"
                + gridH + "x" + gridW + ", " + gazeSource + " " + configHash + "]";
    }
}
