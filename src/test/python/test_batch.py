import numpy as np
import pyarrow as pa
import pytest

from autogaze_readout import keep_mask, load_batch
from clip_tables import SCHEMA, clip_row, random_tokens


def table(rows):
    return pa.Table.from_pylist(rows, schema=SCHEMA)


def test_coords_are_clips_concatenated_with_the_batch_column_as_position():
    # grid 2 x 3 x 4: token index = (t * 3 + row) * 4 + col
    rows = table([clip_row("v", 5, [(1, 2, 3), (0, 0, 1)]), clip_row("w", 0, [(0, 1, 0)]),
                  clip_row("v", 6, [])])
    b = load_batch(rows)
    assert b.coords.dtype == np.int32
    assert b.coords.tolist() == [[0, 0, 0, 1], [0, 1, 2, 3], [1, 0, 1, 0]]
    assert b.token_index.tolist() == [1, 23, 4]
    assert b.counts.tolist() == [2, 1, 0]
    assert b.offsets.tolist() == [0, 2, 3, 3]
    assert b.video_ids == ["v", "w", "v"] and b.clip_indices.tolist() == [5, 0, 6]
    assert b.grid == (2, 3, 4)
    assert b.frame_indices[1].tolist() == [0, 1, 2, 3]


def test_per_token_columns_are_views_of_the_arrow_buffers():
    rows = table([clip_row("v", 0, [(1, 2, 3), (0, 0, 1)]), clip_row("w", 0, [(0, 1, 0)])])
    b = load_batch(rows)
    values = rows.column("coords_t").chunk(0).values
    assert np.shares_memory(b.t, np.frombuffer(values.buffers()[1], dtype=np.int32))
    assert not b.t.flags.writeable


def test_keep_mask_marks_exactly_the_coordinates():
    b = load_batch(table([clip_row("v", 0, [(1, 2, 3)]), clip_row("w", 0, [(0, 0, 0), (0, 0, 1)])]))
    m = b.keep_mask()
    assert m.shape == (2, 2, 3, 4) and m.dtype == bool
    assert sorted(map(tuple, np.argwhere(m).tolist())) == [(0, 1, 2, 3), (1, 0, 0, 0), (1, 0, 0, 1)]


def test_random_batches_round_trip_through_mask_and_token_index():
    rng = np.random.default_rng(7)
    for trial in range(20):
        grid = (int(rng.integers(1, 5)), int(rng.integers(1, 6)), int(rng.integers(1, 6)))
        cells = grid[0] * grid[1] * grid[2]
        clips = [random_tokens(rng, grid, int(rng.integers(0, cells + 1))) for _ in range(int(rng.integers(1, 6)))]
        b = load_batch(table([clip_row(f"v{i}", i, c, grid=grid) for i, c in enumerate(clips)]))
        m = b.keep_mask()
        assert m.sum() == sum(len(c) for c in clips) == len(b.coords)
        for i, c in enumerate(clips):
            assert sorted(map(tuple, np.argwhere(m[i]).tolist())) == sorted(c), trial
            seg = slice(b.offsets[i], b.offsets[i + 1])
            assert (b.coords[seg, 0] == i).all()
            assert b.token_index[seg].tolist() == np.flatnonzero(m[i].reshape(-1)).tolist()


def test_a_batch_of_two_grids_is_refused_naming_both():
    rows = table([clip_row("v", 0, [(0, 0, 0)]), clip_row("w", 0, [(0, 0, 0)], grid=(2, 2, 2))])
    with pytest.raises(ValueError, match="row 1 has token grid 2x2x2 but row 0 has 2x3x4"):
        load_batch(rows)


def test_keep_mask_refuses_a_coordinate_outside_the_grid():
    with pytest.raises(ValueError, match=r"coordinate 1 = \[0, 0, 3, 0\] is outside \[1, 2, 3, 4\]"):
        keep_mask(np.array([[0, 0, 0, 0], [0, 0, 3, 0]]), 1, (2, 3, 4))
