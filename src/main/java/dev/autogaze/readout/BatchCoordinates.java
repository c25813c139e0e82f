package dev.autogaze.readout;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The video tokens of a whole batch: one {@link VideoCoordinates} per batch row (batch column = row index) and
 * their concatenation, the [N, 4] a downstream gather takes.
 */
public record BatchCoordinates(VideoGeometry geometry, List<VideoCoordinates> rows) {

    public BatchCoordinates {
        rows = List.copyOf(rows);
        for (int b = 0; b < rows.size(); b++) {
            VideoCoordinates r = rows.get(b);
            for (int i = 0; i < r.count(); i++) {
                if (r.batch(i) != b) {
                    throw new IllegalArgumentException("row " + b + " holds a coordinate of batch " + r.batch(i));
                }
            }
        }
    }

    public VideoCoordinates row(int b) {
        return rows.get(b);
    }

    /** All rows joined, batch by batch. */
    public VideoCoordinates all() {
        return VideoCoordinates.concat(geometry, rows);
    }

    /** The joined [N, 4] as an int32 INDArray. */
    public INDArray toINDArray() {
        return all().toINDArray();
    }
}
