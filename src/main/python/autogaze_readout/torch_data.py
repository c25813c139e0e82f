"""torch.utils.data wrappers: batches of `[batch, temporal, row, col]` coordinates (plus frames) for a training loop.

torch is imported when this module is imported, so `import autogaze_readout` alone never needs it.
"""
import numbers

import pyarrow as pa
import torch
from torch.utils.data import Dataset, IterableDataset, get_worker_info

from autogaze_readout.batch import load_batch
from autogaze_readout.clips import open_clips, split_filter

# What the loader reads from OUT/clips: ids, frames and the coordinates (not the fixations); PATCH_COLUMNS too with
# patches=True.
COLUMNS = ["video_id", "clip_index", "frame_indices", "grid_t", "grid_h", "grid_w",
           "coords_t", "coords_row", "coords_col", "token_index"]
PATCH_COLUMNS = ["tubelet", "patch", "patches"]


def _batch_dict(rows, frame_loader, patches=False):
    batch = load_batch(rows, patches=patches)
    out = batch.as_torch()
    out["video_id"] = batch.video_ids
    out["grid"] = batch.grid
    out["batch_size"] = batch.size
    if frame_loader is not None:
        frames = [frame_loader(v, int(c), f) for v, c, f in zip(batch.video_ids, batch.clip_indices,
                                                                batch.frame_indices)]
        out["frames"] = torch.stack([torch.as_tensor(f) for f in frames])
    return out


class ClipCoordsDataset(Dataset):
    """Map-style: item i is clip row i of OUT/clips (sorted by video_id, clip_index); use `collate` as collate_fn.

    frame_loader(video_id, clip_index, frame_indices) -> array/tensor of one clip's frames, all the same shape;
    the batch then carries them stacked under "frames", in the same batch order as the coordinates.
    patches=True adds "patches", uint8 [N, tubelet, patch, patch, 3] aligned with "coords" (a run with
    --emit-patches): no video or decoder needed.
    """

    def __init__(self, clips_path, split=None, frame_loader=None, patches=False):
        columns = COLUMNS + (PATCH_COLUMNS if patches else [])
        table = open_clips(clips_path, split).to_table(columns=columns)
        self.table = table.sort_by([("video_id", "ascending"), ("clip_index", "ascending")]).combine_chunks()
        self.frame_loader = frame_loader
        self.patches = patches

    def __len__(self):
        return self.table.num_rows

    def __getitem__(self, i):
        if not 0 <= i < len(self):
            raise IndexError(f"clip {i} out of range for {len(self)} clips")
        return i

    def collate(self, indices):
        """A batch dict: coords int32 [N, 4], token_index [N], counts [B], offsets [B+1], clip_index [B],
        video_id (list), grid (t, h, w), batch_size, frames [B, ...] when a frame loader was given and patches
        uint8 [N, tubelet, patch, patch, 3] when asked for."""
        return _batch_dict(self.table.take(pa.array(indices, type=pa.int64())), self.frame_loader, self.patches)


class ClipCoordsStream(IterableDataset):
    """Iterable: streams OUT/clips file by file in batches of `batch_size` rows (workers split the files).

    Batches never mix files, so each has up to batch_size clips; use DataLoader(stream, batch_size=None).
    """

    def __init__(self, clips_path, batch_size, split=None, frame_loader=None, patches=False):
        if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size < 1:
            raise ValueError(f"batch size {batch_size!r} must be an integer >= 1")
        self.dataset = open_clips(clips_path)
        self.filter = split_filter(self.dataset, split, clips_path)
        self.batch_size = batch_size
        self.frame_loader = frame_loader
        self.patches = patches
        self.columns = COLUMNS + (PATCH_COLUMNS if patches else [])

    def __iter__(self):
        fragments = sorted(self.dataset.get_fragments(filter=self.filter), key=lambda f: f.path)
        info = get_worker_info()
        if info is not None:
            fragments = fragments[info.id::info.num_workers]
        for fragment in fragments:
            table = fragment.to_table(schema=self.dataset.schema, columns=self.columns, filter=self.filter)
            for start in range(0, table.num_rows, self.batch_size):
                yield _batch_dict(table.slice(start, self.batch_size), self.frame_loader, self.patches)


def keep_mask_tensor(coords, batch_size, grid):
    """bool [batch_size, grid_t, grid_h, grid_w] on coords' device from int [N, 4] coordinates."""
    gt, gh, gw = grid
    if coords.ndim != 2 or coords.shape[1] != 4:
        raise ValueError(f"keep_mask_tensor: coords must be [N, 4], got shape {tuple(coords.shape)}")
    bounds = torch.tensor([batch_size, gt, gh, gw], device=coords.device)
    bad = ((coords < 0) | (coords >= bounds)).any(dim=1).nonzero()
    if len(bad):
        i = int(bad[0])
        raise ValueError(f"keep_mask_tensor: coordinate {i} = {coords[i].tolist()} is outside "
                         f"[{batch_size}, {gt}, {gh}, {gw}]")
    mask = torch.zeros((batch_size, gt, gh, gw), dtype=torch.bool, device=coords.device)
    c = coords.long()
    mask[c[:, 0], c[:, 1], c[:, 2], c[:, 3]] = True
    return mask

