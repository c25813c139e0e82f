"""Against Parquet files the Spark job wrote: the committed output (jobs/run-local, patch-diff, sample videos) and
the output this test session makes (conftest.job_output)."""
import hashlib
import os

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from autogaze_readout import load_batch, read_clips, read_errors, read_summary
from clip_tables import REAL_OUTPUT, SCHEMA


def assert_schema(real, schema):
    assert real.names == schema.names
    for field in schema:
        found = real.field(field.name).type
        if pa.types.is_map(field.type):  # Spark names the map's entries 'extra'; the types are what matter
            assert (found.key_type, found.item_type) == (field.type.key_type, field.type.item_type)
        else:
            assert str(found) == str(field.type), field.name
        assert real.field(field.name).nullable == field.nullable, field.name


def test_the_test_schema_is_the_schema_the_job_writes(job_output):
    # the session's output is split=train/val partitioned, so its files have no split column
    for root, _, files in os.walk(os.path.join(job_output, "clips")):
        for name in files:
            if name.endswith(".parquet"):
                assert_schema(pq.read_schema(os.path.join(root, name)), SCHEMA.remove(SCHEMA.get_field_index("split")))


def test_the_committed_output_has_the_test_schema():
    assert_schema(pq.read_schema(os.path.join(REAL_OUTPUT, "clips", "part-00000.zstd.parquet")), SCHEMA)


def test_job_output_coordinates_agree_with_token_index_counts_and_stats():
    clips = read_clips(os.path.join(REAL_OUTPUT, "clips"))
    assert clips.num_rows == read_summary(REAL_OUTPUT)["totals"]["clips"]
    b = load_batch(clips)
    gt, gh, gw = b.grid
    assert (b.token_index == (b.coords[:, 1] * gh + b.coords[:, 2]) * gw + b.coords[:, 3]).all()
    assert b.counts.tolist() == clips.column("token_count").to_pylist()
    for i, per_bin in enumerate(clips.column("tokens_per_bin").to_pylist()):
        seg = b.coords[b.offsets[i]:b.offsets[i + 1]]
        assert np.bincount(seg[:, 1], minlength=gt).tolist() == per_bin
        assert np.all(np.diff(b.token_index[b.offsets[i]:b.offsets[i + 1]]) > 0)  # sorted, distinct
    ratio = b.keep_mask().reshape(b.size, -1).mean(axis=1)
    assert np.allclose(ratio, clips.column("keep_ratio").to_numpy())


def test_the_committed_output_agrees_with_its_own_summary():
    # the sample once held 3 of the 9 clips its summary counted; every count must be the rows'
    summary = read_summary(REAL_OUTPUT)
    clips = read_clips(os.path.join(REAL_OUTPUT, "clips"))
    errors = read_errors(REAL_OUTPUT)
    counts, totals = summary["counts"], summary["totals"]
    videos = set(clips.column("video_id").to_pylist())
    tokens = sum(clips.column("token_count").to_pylist())
    assert counts["clips"] == totals["clips"] == clips.num_rows
    assert counts["tokens"] == totals["tokens"] == tokens
    assert counts["real_gazes"] == sum(clips.column("real_gazes").to_pylist())
    assert totals["videos_with_clips"] == len(videos)
    assert counts["error_rows"] == totals["error_rows"] == errors.num_rows
    assert counts["videos_processed"] == len(videos | set(errors.column("video_id").to_pylist()))
    assert counts["videos_with_errors"] == len(set(errors.column("video_id").to_pylist()))
    assert sum(counts["errors_by_stage"].values()) == errors.num_rows
    # every row carries the summary's configuration, and the hash is the one of its canonical input
    assert set(clips.column("config_hash").to_pylist()) == {summary["config_hash"]}
    assert set(clips.column("gaze_source").to_pylist()) == {summary["gaze_source"]}
    assert hashlib.sha256(summary["config_hash_input"].encode()).hexdigest()[:16] == summary["config_hash"]


def test_errors_and_summary_of_the_job_output_are_readable():
    assert read_errors(REAL_OUTPUT).num_rows == 0
    summary = read_summary(REAL_OUTPUT)
    assert summary["schema_version"] == 2 and summary["counts"]["clips"] == 9
