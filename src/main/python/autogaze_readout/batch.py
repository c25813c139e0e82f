"""Clip rows -> the downstream `[batch, temporal, row, col]` int32 coordinates, by plain concatenation."""
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def _flat_ints(column):
    """The values of a list<int32> column as one int32 numpy array; zero-copy for a single unsliced chunk."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    values = pc.list_flatten(column)
    return values.to_numpy(zero_copy_only=True)


def _ints(column):
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    return column.to_numpy(zero_copy_only=False).astype(np.int32, copy=False)


@dataclass
class ClipBatch:
    """B clips in batch order: per-token columns (views of the Arrow buffers), counts and offsets per clip.

    The batch column of a token is the position of its clip in this batch; `coords` stacks it with t, row, col.
    """
    video_ids: list
    clip_indices: np.ndarray   # int32 [B]
    frame_indices: list        # B int32 arrays: the decoded frames of each clip, for a frame loader
    grid: tuple                # (grid_t, grid_h, grid_w)
    t: np.ndarray              # int32 [N]
    row: np.ndarray            # int32 [N]
    col: np.ndarray            # int32 [N]
    token_index: np.ndarray    # int32 [N], ((t * grid_h) + row) * grid_w + col
    counts: np.ndarray         # int32 [B], tokens per clip
    offsets: np.ndarray        # int64 [B + 1], clip b owns tokens offsets[b]:offsets[b + 1]
    patches: np.ndarray = None  # uint8 [N, tubelet, patch, patch, 3] aligned with coords, when loaded
    _coords: np.ndarray = field(default=None, repr=False)

    @property
    def size(self):
        return len(self.video_ids)

    @property
    def batch(self):
        """int32 [N]: the batch column (position of each token's clip in this batch)."""
        return np.repeat(np.arange(self.size, dtype=np.int32), self.counts)

    @property
    def coords(self):
        """int32 [N, 4] `[batch, temporal, row, col]`, clips in batch order, each clip's tokens by token index."""
        if self._coords is None:
            self._coords = np.stack([self.batch, self.t, self.row, self.col], axis=1)
        return self._coords

    def keep_mask(self):
        """bool [B, grid_t, grid_h, grid_w]: True where a token is kept."""
        return keep_mask(self.coords, self.size, self.grid)

    def as_torch(self, device=None):
        """The arrays as torch tensors (torch imported here, not at package import)."""
        import torch

        def tensor(a):
            return torch.from_numpy(a if a.flags.writeable else a.copy()).to(device)

        out = {
            "coords": tensor(self.coords),
            "token_index": tensor(self.token_index),
            "counts": tensor(self.counts),
            "offsets": tensor(self.offsets),
            "clip_index": tensor(self.clip_indices),
        }
        if self.patches is not None:
            out["patches"] = tensor(self.patches)
        return out


# The per-token columns, parallel within a clip, and the grid columns (docs/output-schema.md).
_COORDS = ("coords_t", "coords_row", "coords_col", "token_index")
_GRID = ("grid_t", "grid_h", "grid_w")


def _lengths(column):
    lengths = pc.list_value_length(column)
    if isinstance(lengths, pa.ChunkedArray):
        lengths = lengths.combine_chunks()
    return lengths.to_numpy(zero_copy_only=False).astype(np.int32)


def _check_types(rows):
    """The coordinate and grid columns as the job writes them; anything else would be cast or misread silently."""
    for name in _COORDS + _GRID + ("video_id", "clip_index"):
        if name not in rows.column_names:
            raise ValueError(f"load_batch: column {name!r} missing")
    for name in _COORDS:
        t = rows.schema.field(name).type
        if not (pa.types.is_list(t) and t.value_type == pa.int32()):
            raise ValueError(f"load_batch: column {name!r} has type {t}, expected list<int32>")
    for name in _GRID + ("clip_index",):
        t = rows.schema.field(name).type
        if t != pa.int32():
            raise ValueError(f"load_batch: column {name!r} has type {t}, expected int32")
    for name in _COORDS + _GRID + ("clip_index",):
        if rows.column(name).null_count:
            raise ValueError(f"load_batch: column {name!r} has {rows.column(name).null_count} null values")


def load_batch(rows, patches=False):
    """A ClipBatch from clip rows (a pyarrow Table or RecordBatch) already in batch order.

    All rows must share one token grid; a mix is an error naming the two grids. With `patches`, the batch also
    carries the kept tokens' pixels, uint8 [N, tubelet, patch, patch, 3] with row i belonging to coords[i] (needs
    the `patches`, `tubelet` and `patch` columns of a run with --emit-patches).
    """
    if isinstance(rows, pa.RecordBatch):
        rows = pa.Table.from_batches([rows])
    _check_types(rows)
    if rows.num_rows == 0:
        raise ValueError("load_batch: no clip rows given")
    gt, gh, gw = (_ints(rows.column(c)) for c in _GRID)
    for b in range(1, rows.num_rows):
        if (gt[b], gh[b], gw[b]) != (gt[0], gh[0], gw[0]):
            raise ValueError(f"load_batch: row {b} has token grid {gt[b]}x{gh[b]}x{gw[b]} but row 0 has "
                             f"{gt[0]}x{gh[0]}x{gw[0]}; one batch needs one grid")
    counts = _lengths(rows.column("coords_t"))
    for name in _COORDS[1:]:
        # equal totals could hide one clip's lists being longer and another's shorter
        ragged = np.nonzero(_lengths(rows.column(name)) != counts)[0]
        if len(ragged):
            b = int(ragged[0])
            raise ValueError(f"load_batch: row {b} ({rows.column('video_id')[b].as_py()}#"
                             f"{rows.column('clip_index')[b].as_py()}) "
                             f"has {_lengths(rows.column(name))[b]} {name} but {counts[b]} coords_t; the "
                             f"coordinate lists of a clip are parallel")
    offsets = np.zeros(rows.num_rows + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    t, r, c, flat = (_flat_ints(rows.column(n)) for n in _COORDS)
    frames = rows.column("frame_indices").to_pylist() if "frame_indices" in rows.column_names else []
    video_ids = rows.column("video_id").to_pylist()
    clip_indices = _ints(rows.column("clip_index"))
    return ClipBatch(
        video_ids=video_ids,
        clip_indices=clip_indices,
        frame_indices=[np.asarray(f, dtype=np.int32) for f in frames],
        grid=(int(gt[0]), int(gh[0]), int(gw[0])),
        t=t, row=r, col=c, token_index=flat, counts=counts, offsets=offsets,
        patches=_patches(rows, counts, video_ids, clip_indices) if patches else None)


def _patches(rows, counts, video_ids, clip_indices):
    """The `patches` column as one uint8 [N, tubelet, patch, patch, 3] array: a zero-copy view of the Arrow values
    buffer when the rows are one chunk; each clip's bytes checked against its token count."""
    missing = [c for c in ("patches", "tubelet", "patch") if c not in rows.column_names]
    if missing:
        raise ValueError(f"load_batch: no {', '.join(missing)} column; patches need an output of a run with "
                         "--emit-patches (schema_version 2), read with those columns")
    tubelet, patch = _ints(rows.column("tubelet")), _ints(rows.column("patch"))
    if len(set(tubelet.tolist())) > 1 or len(set(patch.tolist())) > 1:
        raise ValueError(f"load_batch: rows have tubelets {sorted(set(tubelet.tolist()))} and patches "
                         f"{sorted(set(patch.tolist()))}; one batch needs one patch shape")
    column = rows.column("patches")
    column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if column.null_count:
        b = int(np.nonzero(~column.is_valid().to_numpy(zero_copy_only=False))[0][0])
        raise ValueError(f"load_batch: clip {video_ids[b]}#{clip_indices[b]} has no patches; its run did not use "
                         "--emit-patches")
    per_token = int(tubelet[0]) * int(patch[0]) ** 2 * 3
    offsets = np.frombuffer(column.buffers()[1], dtype=np.int64 if pa.types.is_large_binary(column.type)
                            else np.int32)[column.offset:column.offset + len(column) + 1]
    lengths = np.diff(offsets)
    bad = np.nonzero(lengths != counts.astype(np.int64) * per_token)[0]
    if len(bad):
        b = int(bad[0])
        raise ValueError(f"load_batch: clip {video_ids[b]}#{clip_indices[b]} has {lengths[b]} patch bytes for "
                         f"{counts[b]} tokens of {per_token} bytes")
    values = np.frombuffer(column.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]]
    return values.reshape(-1, int(tubelet[0]), int(patch[0]), int(patch[0]), 3)


def keep_mask(coords, batch_size, grid):
    """bool [batch_size, grid_t, grid_h, grid_w] from int [N, 4] `[batch, temporal, row, col]` coordinates.

    Coordinates outside the grid or batch are an error naming the first bad row (no silent clipping).
    """
    coords = np.asarray(coords)
    gt, gh, gw = grid
    bounds = np.array([batch_size, gt, gh, gw])
    if coords.ndim != 2 or coords.shape[1] != 4:
        raise ValueError(f"keep_mask: coords must be [N, 4], got shape {coords.shape}")
    bad = np.nonzero(((coords < 0) | (coords >= bounds)).any(axis=1))[0]
    if len(bad):
        raise ValueError(f"keep_mask: coordinate {bad[0]} = {coords[bad[0]].tolist()} is outside "
                         f"[{batch_size}, {gt}, {gh}, {gw}]")
    mask = np.zeros((batch_size, gt, gh, gw), dtype=bool)
    mask[coords[:, 0], coords[:, 1], coords[:, 2], coords[:, 3]] = True
    return mask
