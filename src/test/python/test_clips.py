import os

import pytest

from autogaze_readout import SchemaVersionError, open_clips, read_clips
from clip_tables import clip_row, write_clips


def test_reads_every_file_of_a_split_partitioned_output_in_video_clip_order(tmp_path):
    out = tmp_path / "clips"
    write_clips(str(out / "split=train" / "part-0.parquet"),
                [clip_row("b.mp4", 1, [(0, 0, 0)], split="train"), clip_row("a.mp4", 0, [(1, 2, 3)], split="train")],
                drop_split=True)
    write_clips(str(out / "split=val" / "part-0.parquet"), [clip_row("c.mp4", 0, [(0, 1, 1)])], drop_split=True)
    (out / "_SUCCESS").write_text("")
    table = read_clips(str(out), columns=["video_id", "clip_index", "split"])
    assert table.column("video_id").to_pylist() == ["a.mp4", "b.mp4", "c.mp4"]
    assert table.column("split").to_pylist() == ["train", "train", "val"]


def test_split_filter_keeps_only_that_split(tmp_path):
    out = tmp_path / "clips"
    write_clips(str(out / "split=train" / "p.parquet"), [clip_row("a.mp4", 0, [(0, 0, 0)])], drop_split=True)
    write_clips(str(out / "split=val" / "p.parquet"), [clip_row("c.mp4", 0, [(0, 1, 1)]),
                                                       clip_row("c.mp4", 1, [(0, 1, 2)])], drop_split=True)
    assert read_clips(str(out), split="val", columns=["video_id"]).num_rows == 2
    assert read_clips(str(out), split="test", columns=["video_id"]).num_rows == 0


def test_a_split_asked_of_an_unsplit_output_is_an_error(tmp_path):
    path = write_clips(str(tmp_path / "clips" / "p.parquet"), [clip_row("a.mp4", 0, [(0, 0, 0)])],
                       drop_split=True)
    with pytest.raises(ValueError, match="split 'train' asked for, but the output has no split column"):
        open_clips(os.path.dirname(path), split="train")


def test_another_schema_version_is_refused_with_both_versions_named(tmp_path):
    out = tmp_path / "clips"
    write_clips(str(out / "p0.parquet"), [clip_row("a.mp4", 0, [(0, 0, 0)])])
    write_clips(str(out / "p1.parquet"), [clip_row("b.mp4", 0, [(0, 0, 0)], version=3)])
    with pytest.raises(SchemaVersionError, match=r"schema_version \[3\] found; this loader reads schema_version 1 to 2"):
        open_clips(str(out))


def test_a_missing_coordinate_column_is_named(tmp_path):
    import pyarrow.parquet as pq
    path = write_clips(str(tmp_path / "clips" / "p.parquet"), [clip_row("a.mp4", 0, [(0, 0, 0)])])
    pq.write_table(pq.read_table(path).drop_columns(["coords_row"]), path)
    with pytest.raises(ValueError, match="column 'coords_row' missing"):
        open_clips(os.path.dirname(path))
