"""Turn a training batch of clip rows into the downstream [batch, temporal, row, col] tensor (numpy int32 [N, 4])."""
import sys

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq


def coordinates(rows):
    """rows: a pyarrow Table of clips in training-batch order; returns int32 [N, 4] and per-clip token counts."""
    t = pc.list_flatten(rows.column("coords_t")).to_numpy()
    r = pc.list_flatten(rows.column("coords_row")).to_numpy()
    c = pc.list_flatten(rows.column("coords_col")).to_numpy()
    counts = pc.list_value_length(rows.column("coords_t")).to_numpy()
    b = np.repeat(np.arange(rows.num_rows, dtype=np.int32), counts)  # the batch column: position in this batch
    return np.stack([b, t, r, c], axis=1).astype(np.int32), counts


if __name__ == "__main__":
    table = pq.read_table(sys.argv[1], columns=["video_id", "clip_index", "coords_t", "coords_row", "coords_col",
                                                "token_index", "grid_h", "grid_w"])
    batch = table.slice(0, 4)
    coords, counts = coordinates(batch)
    print("clips:", batch.column("video_id").to_pylist())
    print("tokens per clip:", counts.tolist(), "-> coords", coords.shape, coords.dtype)
    print("first rows:", coords[:3].tolist(), "last row:", coords[-1].tolist())
    # token_index is the same token as a flat index ((t * grid_h) + row) * grid_w + col
    h, w = batch.column("grid_h")[0].as_py(), batch.column("grid_w")[0].as_py()
    flat = pc.list_flatten(batch.column("token_index")).to_numpy()
    assert (flat == (coords[:, 1] * h + coords[:, 2]) * w + coords[:, 3]).all()
    print("token_index == ((t * grid_h) + row) * grid_w + col: ok")
