"""Small helpers for the notebooks: the output folder check, per-video totals and a clip overlay as PNG, with numpy
+ zlib only."""
import os
import struct
import zlib

import numpy as np
import pyarrow.compute as pc

# Same colours as the Java report (ReadoutPicture.SCALE_COLOURS): scale 0 (coarsest) .. 3.
SCALE_COLOURS = np.array([[0xD6, 0x27, 0x28], [0xFF, 0x7F, 0x0E], [0x2C, 0xA0, 0x2C], [0x1F, 0x77, 0xB4]],
                         dtype=np.uint8)
KEPT = np.array([200, 200, 200], dtype=np.uint8)
DROPPED = np.array([40, 40, 40], dtype=np.uint8)
GAP = 4


class MissingOutput(Exception):
    """No usable job output where a notebook looks; Jupyter shows only the sentence, not a traceback."""

    def _render_traceback_(self):  # IPython's hook: these lines replace the traceback
        return [f"{type(self).__name__}: {self}"]


def require_output(out):
    """`out` if it holds a job output (clips/ and summary.json); else MissingOutput with what to do, one sentence."""
    hint = "run jobs/run-local (it writes target/run-local) or set AUTOGAZE_OUT to an output folder"
    if not os.path.isdir(os.path.join(out, "clips")):
        raise MissingOutput(f"No autogaze output at {out}: {hint}.")
    if not os.path.isfile(os.path.join(out, "summary.json")):
        raise MissingOutput(f"{out} has clips but no summary.json, so its run did not finish: rerun it or {hint}.")
    return out


def per_video(clips):
    """Clips, tokens, real gazes and mean keep ratio per video, from an OUT/clips table."""
    return clips.group_by("video_id").aggregate([
        ("clip_index", "count"), ("token_count", "sum"), ("real_gazes", "sum"), ("keep_ratio", "mean"),
    ]).sort_by("video_id")


def draw_clip(row, border=2):
    """uint8 [H, T * (W + GAP), 3] for one clip row (a dict from Table.to_pylist()), at source-pixel size.

    Each frame panel: the tokens of its temporal bin, kept light and dropped dark (mapped onto the source frame,
    which the downstream model resizes as a whole), and the frame's fixation rectangles outlined by scale colour.
    """
    h, w = row["source_height"], row["source_width"]
    frames, tubelet = row["video_frames"], row["tubelet"]
    gh, gw = row["grid_h"], row["grid_w"]
    kept = np.zeros((row["grid_t"], gh, gw), dtype=bool)
    kept[row["coords_t"], row["coords_row"], row["coords_col"]] = True
    ys = np.round(np.arange(gh + 1) * h / gh).astype(int)
    xs = np.round(np.arange(gw + 1) * w / gw).astype(int)
    # token row/col of every source pixel
    row_of = np.searchsorted(ys, np.arange(h), side="right") - 1
    col_of = np.searchsorted(xs, np.arange(w), side="right") - 1
    img = np.full((h, frames * (w + GAP), 3), 255, dtype=np.uint8)
    for t in range(frames):
        panel = img[:, t * (w + GAP):t * (w + GAP) + w]
        mask = kept[t // tubelet][row_of[:, None], col_of[None, :]]
        panel[:] = np.where(mask[..., None], KEPT, DROPPED)
        for i in np.nonzero(np.asarray(row["fix_frame"]) == t)[0]:
            x0, y0 = int(round(row["fix_x0"][i])), int(round(row["fix_y0"][i]))
            x1, y1 = int(round(row["fix_x1"][i])), int(round(row["fix_y1"][i]))
            colour = SCALE_COLOURS[row["fix_scale"][i] % len(SCALE_COLOURS)]
            b = min(border, x1 - x0, y1 - y0)
            panel[y0:y0 + b, x0:x1] = colour
            panel[y1 - b:y1, x0:x1] = colour
            panel[y0:y1, x0:x0 + b] = colour
            panel[y0:y1, x1 - b:x1] = colour
    return img


def png_bytes(rgb):
    """An uint8 [H, W, 3] array as PNG bytes (for IPython.display.Image(data=...)), no imaging library needed."""
    rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
    if rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(f"png_bytes: expected [H, W, 3] uint8, got shape {rgb.shape}")
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[y].tobytes() for y in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 6))
            + chunk(b"IEND", b""))


def first_row(clips, video_id=None, clip_index=0):
    """One clip row as a dict (the first clip, or the given video's clip)."""
    if video_id is not None:
        clips = clips.filter(pc.and_(pc.equal(clips["video_id"], video_id),
                                     pc.equal(clips["clip_index"], clip_index)))
    if clips.num_rows == 0:
        raise ValueError(f"no clip {video_id}#{clip_index} in the table")
    return clips.slice(0, 1).to_pylist()[0]


