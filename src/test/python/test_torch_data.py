"""The torch side: fails (does not skip) when torch is not installed; see src/main/python/requirements-test.txt."""
import os
import subprocess
import sys

import numpy as np
import torch
from torch.utils.data import DataLoader

from autogaze_readout import load_batch, read_clips
from autogaze_readout.torch_data import ClipCoordsDataset, ClipCoordsStream, keep_mask_tensor
from clip_tables import REAL_OUTPUT, clip_row, write_clips

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
