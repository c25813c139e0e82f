import re

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


def test_an_empty_table_is_refused():
    with pytest.raises(ValueError, match="load_batch: no clip rows given"):
        load_batch(table([]))


def test_ragged_coordinate_lists_are_refused_naming_the_row():
    # equal totals over the batch (3 each) but row 0 has one row too many and row 1 one too few
    rows = [clip_row("v", 0, [(0, 0, 0), (0, 0, 1)]), clip_row("w", 4, [(0, 1, 0)])]
    rows[0]["coords_row"] = [0, 0, 1]
    rows[1]["coords_row"] = []
    with pytest.raises(ValueError, match=r"row 0 \(v#0\) has 3 coords_row but 2 coords_t"):
        load_batch(table(rows))
    rows = [clip_row("v", 0, [(0, 0, 0)]), clip_row("w", 4, [(0, 1, 0), (1, 1, 1)])]
    rows[1]["token_index"] = [4]
    with pytest.raises(ValueError, match=r"row 1 \(w#4\) has 1 token_index but 2 coords_t"):
        load_batch(table(rows))


@pytest.mark.parametrize("column, arrow_type, found", [
    ("coords_t", pa.list_(pa.int64()), "list<item: int64>"),
    ("token_index", pa.list_(pa.float32()), "list<item: float>"),
    ("coords_col", pa.int32(), "int32"),
    ("grid_h", pa.int64(), "int64"),
    ("clip_index", pa.string(), "string"),
])
def test_a_column_of_another_type_is_refused_naming_it(column, arrow_type, found):
    t = table([clip_row("v", 0, [(0, 0, 0), (1, 2, 3)])])
    i = t.schema.get_field_index(column)
    value = t.column(column).to_pylist()
    if arrow_type == pa.int32():
        value = [v[0] for v in value]
    elif arrow_type == pa.string():
        value = [str(v) for v in value]
    t = t.set_column(i, pa.field(column, arrow_type), pa.array(value, type=arrow_type))
    expected = "list<int32>" if column in ("coords_t", "token_index", "coords_col") else "int32"
    with pytest.raises(ValueError, match=f"column '{column}' has type {re.escape(found)}, expected {expected}$"):
        load_batch(t)


def test_a_missing_or_null_coordinate_column_is_refused():
    t = table([clip_row("v", 0, [(0, 0, 0)])])
    with pytest.raises(ValueError, match="column 'coords_col' missing"):
        load_batch(t.drop_columns(["coords_col"]))
    nullable = pa.schema([f.with_nullable(True) for f in t.schema])
    rows = t.cast(nullable).to_pylist()
    rows[0]["coords_t"] = None
    with pytest.raises(ValueError, match="column 'coords_t' has 1 null values"):
        load_batch(pa.Table.from_pylist(rows, schema=nullable))


def test_a_batch_sliced_from_the_middle_of_a_table_has_its_own_coordinates():
    # a slice shares the parent's buffers at an offset: coordinates must be those of the sliced rows
    rng = np.random.default_rng(11)
    grid = (2, 3, 4)
    clips = [random_tokens(rng, grid, int(rng.integers(1, 10))) for _ in range(5)]
    whole = table([clip_row("v", i, c, grid=grid) for i, c in enumerate(clips)])
    b = load_batch(whole.slice(2, 2))
    expected = [[k, *tok] for k, c in enumerate(clips[2:4]) for tok in sorted(c, key=lambda x: (x[0] * 3 + x[1]) * 4 + x[2])]
    assert b.coords.tolist() == expected
    assert b.clip_indices.tolist() == [2, 3]
    assert b.counts.tolist() == [len(clips[2]), len(clips[3])]
    assert b.frame_indices[0].tolist() == list(range(8, 12))
