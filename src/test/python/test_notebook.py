import os
import struct
import zlib

import numpy as np
import pyarrow as pa

from autogaze_readout import read_clips
from autogaze_readout.notebook import DROPPED, GAP, KEPT, SCALE_COLOURS, draw_clip, first_row, per_video, png_bytes
from clip_tables import REAL_OUTPUT, SCHEMA, clip_row


def decode_png(data):
    """Minimal decoder for what png_bytes writes (RGB 8-bit, filter 0)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        assert struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0] == zlib.crc32(kind + body)
        if kind == b"IHDR":
            w, h = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = np.frombuffer(zlib.decompress(idat), dtype=np.uint8).reshape(h, 1 + 3 * w)
    assert (raw[:, 0] == 0).all()
    return raw[:, 1:].reshape(h, w, 3)


def test_png_bytes_round_trips_an_image():
    rgb = np.random.default_rng(3).integers(0, 256, size=(5, 7, 3), dtype=np.uint8)
    assert np.array_equal(decode_png(png_bytes(rgb)), rgb)


def test_draw_clip_outlines_fixations_and_shades_tokens():
    # grid 2 x 3 x 4 on a 64 x 48 source: token cells are 16 x 16 px; the row's fixation is frame 0,
    # scale 3, rect (60, 44)-(64, 48)
    row = pa.Table.from_pylist([clip_row("v", 0, [(0, 0, 0), (1, 2, 3)])], schema=SCHEMA).to_pylist()[0]
    img = draw_clip(row)
    assert img.shape == (48, 4 * (64 + GAP), 3)
    assert (img[5, 5] == KEPT).all()            # frame 0, bin 0, token (0, 0)
    assert (img[20, 20] == DROPPED).all()       # token (1, 1) not kept
    assert (img[44, 60] == SCALE_COLOURS[3]).all() and (img[47, 63] == SCALE_COLOURS[3]).all()
    x2 = 2 * (64 + GAP)                         # frame 2 is in bin 1: token (2, 3) kept, (0, 0) not
    assert (img[40, x2 + 60] == KEPT).all() and (img[5, x2 + 5] == DROPPED).all()


def test_per_video_totals_on_job_output():
    clips = read_clips(os.path.join(REAL_OUTPUT, "clips"))
    t = per_video(clips)
    ids = clips.column("video_id").to_pylist()
    tokens = clips.column("token_count").to_pylist()
    assert t.column("video_id").to_pylist() == sorted(set(ids))
    assert t.column("token_count_sum").to_pylist() == [sum(n for v, n in zip(ids, tokens) if v == video)
                                                       for video in sorted(set(ids))]
    row = first_row(clips, "shapes_320x240_h264.mp4", 2)
    assert (row["video_id"], row["clip_index"]) == ("shapes_320x240_h264.mp4", 2)
