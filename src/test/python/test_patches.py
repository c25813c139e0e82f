"""The `patches` column (schema_version 2, --emit-patches) through load_batch and the torch datasets:
uint8 [N, tubelet, patch, patch, 3] with row i belonging to coords[i]."""
import os

import numpy as np
import pyarrow as pa
import pytest
import torch

from autogaze_readout import load_batch, read_clips
from autogaze_readout.torch_data import ClipCoordsDataset, ClipCoordsStream
from clip_tables import SCHEMA, SCHEMA_V1, clip_row, write_clips

PER_TOKEN = 2 * 16 * 16 * 3  # clip_row's tubelet 2, patch 16


def marked(tokens):
    """Patch bytes whose every value names its token: token k's bytes are all k + 1 (tokens in index order)."""
    return b"".join(bytes([k + 1]) * PER_TOKEN for k in range(len(tokens)))


def test_patches_are_clips_concatenated_in_coordinate_order():
    a, b = [(1, 2, 3), (0, 0, 1)], [(0, 1, 0)]
    rows = pa.Table.from_pylist([clip_row("v", 0, a, patches=marked(a)), clip_row("w", 0, b, patches=bytes([9]) *
                                                                                PER_TOKEN)], schema=SCHEMA)
    batch = load_batch(rows, patches=True)
    assert batch.patches.shape == (3, 2, 16, 16, 3) and batch.patches.dtype == np.uint8
    # clip v's tokens are stored by token index: (0, 0, 1) first, marked 1, then (1, 2, 3), marked 2
    assert batch.coords.tolist() == [[0, 0, 0, 1], [0, 1, 2, 3], [1, 0, 1, 0]]
    assert [int(np.unique(p)[0]) for p in batch.patches] == [1, 2, 9]
    # a view of the Arrow values buffer, not a copy
    values = rows.column("patches").chunk(0).buffers()[2]
    assert np.shares_memory(batch.patches, np.frombuffer(values, dtype=np.uint8))
    t = batch.as_torch()
    assert t["patches"].dtype == torch.uint8 and tuple(t["patches"].shape) == (3, 2, 16, 16, 3)


def test_a_slice_of_rows_gets_its_own_patches():
    tokens = [[(0, 0, k)] for k in range(4)]
    rows = pa.Table.from_pylist([clip_row("v", k, tokens[k], patches=bytes([10 + k]) * PER_TOKEN)
                                 for k in range(4)], schema=SCHEMA)
    batch = load_batch(rows.slice(1, 2), patches=True)
    assert [int(p.max()) for p in batch.patches] == [11, 12]


def test_rows_without_patches_are_errors_naming_the_clip_and_the_fix():
    rows = pa.Table.from_pylist([clip_row("v", 0, [(0, 0, 0)], patches=bytes(PER_TOKEN)),
                                 clip_row("w", 3, [(0, 0, 0)])], schema=SCHEMA)
    with pytest.raises(ValueError, match="clip w#3 has no patches; its run did not use --emit-patches"):
        load_batch(rows, patches=True)
    v1 = pa.Table.from_pylist([clip_row("v", 0, [(0, 0, 0)], version=1)], schema=SCHEMA_V1)
    assert load_batch(v1).patches is None
    with pytest.raises(ValueError, match="no patches column; patches need an output of a run with --emit-patches"):
        load_batch(v1, patches=True)
    short = pa.Table.from_pylist([clip_row("v", 1, [(0, 0, 0), (0, 0, 1)], patches=bytes(PER_TOKEN))],
                                 schema=SCHEMA)
    with pytest.raises(ValueError, match=f"clip v#1 has {PER_TOKEN} patch bytes for 2 tokens of {PER_TOKEN} bytes"):
        load_batch(short, patches=True)


def test_versions_one_and_two_load_together(tmp_path):
    out = tmp_path / "clips"
    write_clips(str(out / "p0.parquet"), [clip_row("a", 0, [(0, 0, 0)], version=1)])
    write_clips(str(out / "p1.parquet"), [clip_row("b", 0, [(1, 1, 1)], patches=bytes(PER_TOKEN))])
    clips = read_clips(str(out), columns=["schema_version", "video_id", "clip_index", "frame_indices", "grid_t",
                                          "grid_h", "grid_w", "coords_t", "coords_row", "coords_col", "token_index"])
    assert sorted(clips.column("schema_version").to_pylist()) == [1, 2]
    assert load_batch(clips).coords.tolist() == [[0, 0, 0, 0], [1, 1, 1, 1]]


def test_the_job_writes_patches_aligned_with_the_coordinates(job_output):
    clips = read_clips(os.path.join(job_output, "clips"))
    assert set(clips.column("schema_version").to_pylist()) == {2}
    batch = load_batch(clips, patches=True)
    assert batch.patches.shape == (len(batch.coords), 2, 16, 16, 3)
    # patch-diff keeps every token of bin 0; put the bin-0 tokens of a resized clip (320x240 -> 224x224) back on
    # the frame: a gather that mixed up tokens would leave seams at the patch borders, real pixels run smoothly
    # across them (the 224x224 VP9 sample is not used: its background is blocky noise on a 16-pixel grid)
    b = batch.video_ids.index("shapes_320")
    seg = slice(batch.offsets[b], batch.offsets[b + 1])
    coords, patches = batch.coords[seg], batch.patches[seg]
    frame = np.zeros((224, 224, 3), dtype=np.int32)
    bin0 = np.nonzero(coords[:, 1] == 0)[0]
    assert len(bin0) == 14 * 14
    for i in bin0:
        r, c = coords[i, 2], coords[i, 3]
        frame[r * 16:(r + 1) * 16, c * 16:(c + 1) * 16] = patches[i, 0]
    steps = np.abs(np.diff(frame, axis=1)).sum(axis=2)  # [224, 223]: step between x and x + 1
    at_border = steps[:, 15::16].mean()
    inside = np.delete(steps, np.s_[15::16], axis=1).mean()
    assert frame.std() > 10, "the frame has content"
    assert at_border < 1.5 * inside + 1, (at_border, inside)
    shuffled = frame.copy()
    order = np.random.default_rng(0).permutation(196)
    for k, j in enumerate(order):
        shuffled[(k // 14) * 16:(k // 14 + 1) * 16, (k % 14) * 16:(k % 14 + 1) * 16] = \
            frame[(j // 14) * 16:(j // 14 + 1) * 16, (j % 14) * 16:(j % 14 + 1) * 16]
    seams = np.abs(np.diff(shuffled, axis=1)).sum(axis=2)[:, 15::16].mean()
    assert seams > 5 * inside + 1, ("the check would catch shuffled patches", seams, inside)


def test_the_torch_datasets_hand_out_patches_with_the_coordinates(job_output):
    clips = os.path.join(job_output, "clips")
    ds = ClipCoordsDataset(clips, patches=True)
    b = ds.collate([2, 0])
    assert tuple(b["patches"].shape) == (b["coords"].shape[0], 2, 16, 16, 3)
    whole = load_batch(read_clips(clips), patches=True)
    first = b["counts"][0].item()
    clip2 = slice(int(whole.offsets[2]), int(whole.offsets[2]) + first)
    assert torch.equal(b["patches"][:first], torch.from_numpy(whole.patches[clip2].copy()))
    stream = ClipCoordsStream(clips, batch_size=2, patches=True)
    total = sum(int(x["patches"].shape[0]) for x in stream)
    assert total == len(whole.coords)
    assert "patches" not in ClipCoordsDataset(clips).collate([0])


def test_the_loader_benchmark_counts_what_it_hands_out(job_output):
    from autogaze_readout.bench import run
    clips = read_clips(os.path.join(job_output, "clips"), columns=["token_count", "tubelet", "patch"])
    n, tokens, patch_bytes, disk, seconds = run(os.path.join(job_output, "clips"), 4, True)
    assert n == clips.num_rows
    assert tokens == sum(clips.column("token_count").to_pylist())
    assert patch_bytes == tokens * 2 * 16 * 16 * 3
    assert disk > 0 and seconds > 0


def test_the_size_report_adds_up_per_clip(job_output):
    from autogaze_readout.bench import sizes
    clips = read_clips(os.path.join(job_output, "clips"), columns=["token_count", "frame_indices"])
    z = sizes(os.path.join(job_output, "clips"))
    assert z["clips"] == clips.num_rows
    assert z["tokens"] == pytest.approx(sum(clips.column("token_count").to_pylist()) / clips.num_rows)
    assert z["patch_bytes"] == pytest.approx(z["tokens"] * 2 * 16 * 16 * 3)
    assert z["full_clip"] == 16 * 224 * 224 * 3           # T x H x W x 3 at the downstream size
    # the patches column is stored compressed, and is most but not all of a row
    assert 0 < z["stored_patches"] < z["patch_bytes"]
    assert z["stored_patches"] < z["stored_row"]
