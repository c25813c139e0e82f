"""Small OUT/clips tables for tests, written with the column list of docs/output-schema.md (schema_version 2, and
1 = 2 without the `patches` column).

test_real_output checks these schemas against files the Spark job wrote (the committed output and the output this
test session makes), and the Java OutputSchemaContractTest against OutputSchema, a freshly written job output and
the docs, so none of them can drift apart.
"""
import os

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

I = pa.int32()
F = pa.float32()
D = pa.float64()
S = pa.string()
IL = pa.list_(pa.field("element", I, nullable=False))
FL = pa.list_(pa.field("element", F, nullable=False))
DL = pa.list_(pa.field("element", D, nullable=False))

COLUMNS = [
    ("schema_version", I), ("video_id", S), ("source_path", S), ("split", S),
    ("extra", pa.map_(S, S)), ("clip_index", I), ("frame_indices", IL), ("timestamps_sec", DL),
    ("padded_frames", I), ("source_width", I), ("source_height", I), ("gaze_source", S), ("config_hash", S),
    ("gazing_ratio", F), ("gazing_ratio_each_frame", FL), ("task_loss_requirement", F),
    ("max_gaze_tokens_per_frame", I), ("model_frame_size", I), ("scales", IL), ("tokens_per_frame", I),
    ("scale_patch", I), ("tile_rows", I), ("tile_cols", I), ("tile_size", I),
    ("video_frames", I), ("video_height", I), ("video_width", I), ("tubelet", I), ("patch", I),
    ("grid_t", I), ("grid_h", I), ("grid_w", I), ("num_gazing_each_frame", IL),
    ("coords_t", IL), ("coords_row", IL), ("coords_col", IL), ("token_index", IL),
    ("fix_frame", IL), ("fix_id", IL), ("fix_scale", IL), ("fix_row", IL), ("fix_col", IL),
    ("fix_confidence", FL), ("fix_x0", FL), ("fix_y0", FL), ("fix_x1", FL), ("fix_y1", FL),
    ("real_gazes", I), ("pad_gazes", I), ("token_count", I), ("tokens_each_frame", IL), ("tokens_per_bin", IL),
    ("keep_ratio", D),
    ("device", S),
    ("patches", pa.binary()),
]
# The only columns a row may leave null; every other column is required, as in the job's files.
NULLABLE = {"split", "extra", "gazing_ratio_each_frame", "task_loss_requirement", "patches"}
SCHEMA = pa.schema([pa.field(n, t, nullable=n in NULLABLE) for n, t in COLUMNS])
SCHEMA_V1 = pa.schema([f for f in SCHEMA if f.name != "patches"])


def clip_row(video_id, clip_index, tokens, grid=(2, 3, 4), split=None, version=2, patches=None):
    """A clip row whose coordinates are `tokens` [(t, row, col), ...] (sorted here by token index).

    patches: bytes for the `patches` column (None = a run without --emit-patches); version 1 rows have no such key.
    """
    gt, gh, gw = grid
    tokens = sorted(tokens, key=lambda k: (k[0] * gh + k[1]) * gw + k[2])
    t = [k[0] for k in tokens]
    r = [k[1] for k in tokens]
    c = [k[2] for k in tokens]
    frames = gt * 2
    per_bin = [t.count(b) for b in range(gt)]
    row = {
        "schema_version": version, "video_id": video_id, "source_path": "/videos/" + video_id, "split": split,
        "extra": None, "clip_index": clip_index,
        "frame_indices": list(range(clip_index * frames, (clip_index + 1) * frames)),
        "timestamps_sec": [i / 25.0 for i in range(clip_index * frames, (clip_index + 1) * frames)],
        "padded_frames": 0, "source_width": 64, "source_height": 48, "gaze_source": "patch-diff",
        "config_hash": "0123456789abcdef", "gazing_ratio": 0.75, "gazing_ratio_each_frame": None,
        "task_loss_requirement": None, "max_gaze_tokens_per_frame": 0, "model_frame_size": 224,
        "scales": [32, 64, 112, 224], "tokens_per_frame": 265,
        "scale_patch": 16, "tile_rows": 0, "tile_cols": 0, "tile_size": 0, "video_frames": frames,
        "video_height": gh * 16, "video_width": gw * 16, "tubelet": 2, "patch": 16,
        "grid_t": gt, "grid_h": gh, "grid_w": gw, "num_gazing_each_frame": [1] * frames,
        "coords_t": t, "coords_row": r, "coords_col": c,
        "token_index": [(a * gh + b) * gw + d for a, b, d in zip(t, r, c)],
        "fix_frame": [0], "fix_id": [264], "fix_scale": [3], "fix_row": [13], "fix_col": [13],
        "fix_confidence": [float("nan")], "fix_x0": [60.0], "fix_y0": [44.0], "fix_x1": [64.0], "fix_y1": [48.0],
        "real_gazes": 1, "pad_gazes": frames - 1, "token_count": len(t),
        "tokens_each_frame": [t.count(f // 2) for f in range(frames)], "tokens_per_bin": per_bin,
        "keep_ratio": len(t) / (gt * gh * gw), "device": "cpu",
    }
    if version != 1:
        row["patches"] = patches
    return row


def write_clips(path, rows, drop_split=False):
    """Writes rows as one Parquet file (the split column dropped when it lives in a split= directory), with the
    version-1 schema when the rows have no `patches` key."""
    table = pa.Table.from_pylist(rows, schema=SCHEMA if not rows or "patches" in rows[0] else SCHEMA_V1)
    if drop_split:
        table = table.drop_columns(["split"])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    pq.write_table(table, path, compression="zstd")
    return path


def random_tokens(rng, grid, count):
    """`count` distinct (t, row, col) of the grid, from a seeded numpy Generator."""
    gt, gh, gw = grid
    flat = rng.choice(gt * gh * gw, size=count, replace=False)
    return [(int(f // (gh * gw)), int(f // gw % gh), int(f % gw)) for f in flat]


REAL_OUTPUT = os.path.join(os.path.dirname(__file__), "data", "job-output")
