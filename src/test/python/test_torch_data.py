"""The torch side: fails (does not skip) when torch is not installed; see src/main/python/requirements-test.txt."""
import os
import re
import subprocess
import sys

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader

from autogaze_readout import load_batch, read_clips
from autogaze_readout.torch_data import ClipCoordsDataset, ClipCoordsStream, keep_mask_tensor
from clip_tables import REAL_OUTPUT, clip_row, random_tokens, write_clips

MAIN = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "main", "python"))


def small_output(tmp_path):
    out = tmp_path / "clips"
    write_clips(str(out / "split=train" / "p0.parquet"),
                [clip_row("a", 0, [(0, 0, 0), (1, 2, 3)]), clip_row("a", 1, [(1, 1, 1)])], drop_split=True)
    write_clips(str(out / "split=train" / "p1.parquet"), [clip_row("b", 0, [(0, 2, 2)])], drop_split=True)
    write_clips(str(out / "split=val" / "p0.parquet"), [clip_row("c", 0, [(0, 1, 0)])], drop_split=True)
    return str(out)


def frames_of(video_id, clip_index, frame_indices):
    """A stand-in frame loader: frame f of video v is a 2x2 image filled with f (checks keys and order)."""
    return np.stack([np.full((2, 2), f + 100 * ord(video_id[0]), dtype=np.int64) for f in frame_indices])


def test_dataloader_batches_carry_coords_and_frames_in_the_same_order(tmp_path):
    ds = ClipCoordsDataset(small_output(tmp_path), split="train", frame_loader=frames_of)
    batches = list(DataLoader(ds, batch_size=2, collate_fn=ds.collate))
    assert [b["video_id"] for b in batches] == [["a", "a"], ["b"]]
    first = batches[0]
    assert first["coords"].dtype == torch.int32
    assert first["coords"].tolist() == [[0, 0, 0, 0], [0, 1, 2, 3], [1, 1, 1, 1]]
    assert first["counts"].tolist() == [2, 1] and first["offsets"].tolist() == [0, 2, 3]
    assert first["frames"].shape == (2, 4, 2, 2)
    assert first["frames"][1, :, 0, 0].tolist() == [100 * ord("a") + f for f in (4, 5, 6, 7)]


def test_stream_yields_every_clip_of_the_split_once(tmp_path):
    stream = ClipCoordsStream(small_output(tmp_path), batch_size=8, split="train")
    seen = [(v, int(c)) for b in DataLoader(stream, batch_size=None) for v, c in zip(b["video_id"], b["clip_index"])]
    assert sorted(seen) == [("a", 0), ("a", 1), ("b", 0)]


def test_stream_workers_split_the_files_without_overlap(tmp_path):
    stream = ClipCoordsStream(small_output(tmp_path), batch_size=1)
    loader = DataLoader(stream, batch_size=None, num_workers=2)
    seen = sorted((b["video_id"][0], int(b["clip_index"][0])) for b in loader)
    assert seen == [("a", 0), ("a", 1), ("b", 0), ("c", 0)]


def test_torch_keep_mask_equals_the_numpy_one_on_job_output():
    b = load_batch(read_clips(os.path.join(REAL_OUTPUT, "clips")))
    t = b.as_torch()
    mask = keep_mask_tensor(t["coords"], b.size, b.grid)
    assert mask.dtype == torch.bool
    assert np.array_equal(mask.numpy(), b.keep_mask())
    assert torch.equal(t["coords"], torch.from_numpy(b.coords))


def test_package_imports_without_torch():
    code = "import sys; sys.modules['torch'] = None; import autogaze_readout; print('ok')"
    done = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": MAIN},
                          capture_output=True, text=True)
    assert done.stdout.strip() == "ok", done.stderr


def one_file_output(tmp_path, clips):
    out = tmp_path / "clips"
    write_clips(str(out / "p0.parquet"), [clip_row(v, i, tokens) for v, i, tokens in clips])
    return str(out)


def test_stream_batches_that_start_mid_table_carry_their_own_coordinates(tmp_path):
    rng = np.random.default_rng(5)
    clips = [("a", i, random_tokens(rng, (2, 3, 4), int(rng.integers(1, 12)))) for i in range(5)]
    stream = ClipCoordsStream(one_file_output(tmp_path, clips), batch_size=2)
    batches = list(DataLoader(stream, batch_size=None))
    assert [b["clip_index"].tolist() for b in batches] == [[0, 1], [2, 3], [4]]
    for start, b in zip((0, 2, 4), batches):
        # the same clips written alone: a batch must not depend on where in the file it starts
        expected = load_batch(read_clips(one_file_output(tmp_path / str(start), clips[start:start + 2])))
        assert b["coords"].tolist() == expected.coords.tolist(), start
        assert b["token_index"].tolist() == expected.token_index.tolist(), start
        assert b["offsets"].tolist() == expected.offsets.tolist(), start
        assert b["coords"][:, 0].max().item() == len(b["clip_index"]) - 1  # the batch column restarts at 0


def test_an_empty_output_gives_no_batches_and_no_items(tmp_path):
    out = tmp_path / "clips"
    write_clips(str(out / "p0.parquet"), [])
    assert list(DataLoader(ClipCoordsStream(str(out), batch_size=4), batch_size=None)) == []
    ds = ClipCoordsDataset(str(out))
    assert len(ds) == 0 and list(DataLoader(ds, batch_size=2, collate_fn=ds.collate)) == []


@pytest.mark.parametrize("size", [0, -1, 2.5, "2", True])
def test_a_stream_batch_size_that_is_not_a_positive_integer_is_refused(tmp_path, size):
    with pytest.raises(ValueError, match=f"batch size {re.escape(repr(size))} must be an integer >= 1"):
        ClipCoordsStream(small_output(tmp_path), batch_size=size)


@pytest.mark.parametrize("coords, message", [
    ([[0, 0, 0, 0], [0, 2, 0, 0]], r"coordinate 1 = \[0, 2, 0, 0\] is outside \[1, 2, 3, 4\]"),
    ([[0, 0, 0, 4]], r"coordinate 0 = \[0, 0, 0, 4\] is outside \[1, 2, 3, 4\]"),
    ([[1, 0, 0, 0]], r"coordinate 0 = \[1, 0, 0, 0\] is outside \[1, 2, 3, 4\]"),
    ([[0, 0, -1, 0]], r"coordinate 0 = \[0, 0, -1, 0\] is outside \[1, 2, 3, 4\]"),
])
def test_torch_keep_mask_refuses_a_coordinate_outside_the_batch_or_grid(coords, message):
    with pytest.raises(ValueError, match="keep_mask_tensor: " + message):
        keep_mask_tensor(torch.tensor(coords, dtype=torch.int32), 1, (2, 3, 4))


def test_torch_keep_mask_refuses_coords_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"coords must be \[N, 4\], got shape \(2, 3\)"):
        keep_mask_tensor(torch.zeros((2, 3), dtype=torch.int32), 1, (2, 3, 4))
