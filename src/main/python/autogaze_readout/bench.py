"""Loader speed over an output with patches: python3 -m autogaze_readout.bench OUT/clips [--batch-size B] [--torch]
(or, with --sizes, what a clip costs on disk with its patches next to the full clip's pixels)

Streams every clip file by file in batches (as ClipCoordsStream does), building coords and, from the patches
column, the uint8 [N, tubelet, patch, patch, 3] array of each batch; prints clips/s and MB/s (patch bytes handed
out, and Parquet bytes read from disk). Run it twice: the first pass may read from a cold page cache.
"""
import argparse
import os
import time


from autogaze_readout.batch import load_batch
from autogaze_readout.clips import open_clips

COLUMNS = ["video_id", "clip_index", "frame_indices", "grid_t", "grid_h", "grid_w", "coords_t", "coords_row",
           "coords_col", "token_index", "tubelet", "patch", "patches"]


def run(clips_path, batch_size, to_torch):
    dataset = open_clips(clips_path)
    files = sorted(f.path for f in dataset.get_fragments())
    disk = sum(os.path.getsize(f) for f in files)
    clips = tokens = patch_bytes = 0
    if to_torch:
        import torch  # noqa: F401  (imported before the clock starts)
    start = time.perf_counter()
    for fragment in sorted(dataset.get_fragments(), key=lambda f: f.path):
        table = fragment.to_table(schema=dataset.schema, columns=COLUMNS)
        for lo in range(0, table.num_rows, batch_size):
            batch = load_batch(table.slice(lo, batch_size), patches=True)
            if to_torch:
                batch.as_torch()
            clips += batch.size
            tokens += len(batch.coords)
            patch_bytes += batch.patches.nbytes
    seconds = time.perf_counter() - start
    return clips, tokens, patch_bytes, disk, seconds


def sizes(clips_path):
    """Per clip, averaged over the output: kept tokens, their pixels (raw), the patches column and the whole row as
    stored (zstd Parquet, from the file footers), and the full clip at the downstream size (T x H x W x 3 uint8)."""
    dataset = open_clips(clips_path)
    table = dataset.to_table(columns=["token_count", "tubelet", "patch", "grid_h", "grid_w", "frame_indices"])
    rows = table.num_rows
    if rows == 0:
        raise ValueError(f"{clips_path} has no clip rows")
    stored_patches = stored_rows = 0
    for fragment in dataset.get_fragments():
        meta = fragment.metadata
        stored_rows += os.path.getsize(fragment.path)
        for g in range(meta.num_row_groups):
            group = meta.row_group(g)
            stored_patches += sum(group.column(c).total_compressed_size for c in range(group.num_columns)
                                  if group.column(c).path_in_schema == "patches")
    t = table.to_pydict()
    tokens = sum(t["token_count"]) / rows
    raw = sum(n * tb * p * p * 3 for n, tb, p in zip(t["token_count"], t["tubelet"], t["patch"])) / rows
    full = sum(len(f) * gh * p * gw * p * 3 for f, gh, gw, p in zip(t["frame_indices"], t["grid_h"], t["grid_w"],
                                                                      t["patch"])) / rows
    return {"clips": rows, "tokens": tokens, "patch_bytes": raw, "stored_patches": stored_patches / rows,
            "stored_row": stored_rows / rows, "full_clip": full}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("clips")
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--torch", action="store_true", help="also turn every batch into torch tensors (as_torch)")
    p.add_argument("--sizes", action="store_true", help="print bytes per clip instead of reading speed")
    a = p.parse_args()
    if a.sizes:
        z = sizes(a.clips)
        print(f"{z['clips']} clips, {z['tokens']:.0f} tokens per clip: patches {z['patch_bytes'] / 1e3:.0f} kB raw, "
              f"{z['stored_patches'] / 1e3:.0f} kB stored; whole row {z['stored_row'] / 1e3:.0f} kB stored; full clip "
              f"{z['full_clip'] / 1e3:.0f} kB raw ({z['patch_bytes'] / z['full_clip']:.1%} of it kept, stored in "
              f"{z['stored_row'] / z['full_clip']:.1%} of its size)")
        return
    clips, tokens, patch_bytes, disk, s = run(a.clips, a.batch_size, a.torch)
    print(f"{clips} clips, {tokens} tokens, {patch_bytes / 1e6:.1f} MB of patches from {disk / 1e6:.1f} MB of "
          f"Parquet in {s:.2f} s: {clips / s:.0f} clips/s, {patch_bytes / 1e6 / s:.0f} MB/s of patches, "
          f"{disk / 1e6 / s:.0f} MB/s from disk (batch {a.batch_size}{', torch' if a.torch else ''})")


if __name__ == "__main__":
    main()
