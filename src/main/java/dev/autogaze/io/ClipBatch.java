package dev.autogaze.io;

import dev.autogaze.readout.BatchCoordinates;
import dev.autogaze.readout.TokenPatches;
import dev.autogaze.readout.VideoCoordinates;
import dev.autogaze.readout.VideoGeometry;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * Clips read back from the output, in training-batch order, as the downstream {@code [batch, t, row, col]}
 * coordinates: the batch column is each clip's position here (the job does not store it, see
 * docs/output-schema.md). Geometry and the tensor forms come from {@link BatchCoordinates}.
 */
public record ClipBatch(List<ClipCoordinates> clips, BatchCoordinates coordinates) {

    public ClipBatch {
        clips = List.copyOf(clips);
    }

    /** Joins the clips; they must share one token grid (an error names the first clip that does not). */
    public static ClipBatch of(List<ClipCoordinates> clips) {
        if (clips.isEmpty()) {
            throw new IllegalArgumentException("a clip batch needs at least one clip");
        }
        VideoGeometry geometry = clips.get(0).geometry();
        List<VideoCoordinates> rows = new ArrayList<>(clips.size());
        for (int b = 0; b < clips.size(); b++) {
            ClipCoordinates c = clips.get(b);
            if (!c.geometry().equals(geometry)) {
                throw new IllegalArgumentException("clip " + b + " (" + c.videoId() + "#" + c.clipIndex() + ") has "
                        + c.geometry() + ", clip 0 has " + geometry + "; one batch needs one grid");
            }
            rows.add(c.toVideoCoordinates(b));
        }
        return new ClipBatch(clips, new BatchCoordinates(geometry, rows));
    }

    public int size() {
        return clips.size();
    }

    /** Row-major [N·4]: the clips' tokens concatenated in batch order. */
    public int[] flat() {
        return coordinates.all().flat();
    }

    /** [N][4]. */
    public int[][] toArray() {
        return coordinates.all().toArray();
    }

    /** int32 [N, 4]. */
    public INDArray toINDArray() {
        return coordinates.toINDArray();
    }

    /** Flat video-token indices of all clips, concatenated (clip b owns {@code offsets()[b] .. offsets()[b+1]}). */
    public int[] tokenIndices() {
        int[] offsets = offsets();
        int[] out = new int[offsets[offsets.length - 1]];
        for (int b = 0; b < clips.size(); b++) {
            System.arraycopy(clips.get(b).tokenIndex(), 0, out, offsets[b], clips.get(b).count());
        }
        return out;
    }

    /** B + 1 token offsets: 0, count(0), count(0) + count(1), ... */
    public int[] offsets() {
        int[] out = new int[clips.size() + 1];
        for (int b = 0; b < clips.size(); b++) {
            out[b + 1] = out[b] + clips.get(b).count();
        }
        return out;
    }

    /**
     * The clips' token pixels concatenated in batch order, token i belonging to coordinate row i of {@link #flat()};
     * every clip must have been read with patches.
     */
    public TokenPatches patches() {
        List<TokenPatches> parts = new ArrayList<>(clips.size());
        for (ClipCoordinates c : clips) {
            if (c.patches() == null) {
                throw new IllegalArgumentException("clip " + c.videoId() + "#" + c.clipIndex() + " has no patches; "
                        + "read the output with ClipParquetReader.open(path, conf, fixations, true)");
            }
            parts.add(c.patches());
        }
        return TokenPatches.concat(parts);
    }

    /** uint8 {@code [N, tubelet, patch, patch, 3]}, aligned with {@link #toINDArray()}. */
    public INDArray patchesINDArray() {
        TokenPatches p = patches();
        INDArray a = Nd4j.create(DataType.UINT8, p.count(), p.tubelet(), p.patch(), p.patch(), 3);
        a.data().setData(p.data());
        return a;
    }
}
