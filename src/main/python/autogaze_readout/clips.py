"""Opening OUT/clips (one or more Parquet files, optionally `split=` partitioned) with a schema_version check."""
import json
import os

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

SCHEMA_VERSION = 2  # the version the job writes now: 1 plus the nullable `patches` column
READABLE_VERSIONS = (1, 2)

# The columns a coordinates loader cannot do without, with their Arrow types (docs/output-schema.md).
_INT_LIST = "list<int32>"
REQUIRED = {
    "schema_version": "int32",
    "video_id": "string",
    "clip_index": "int32",
    "frame_indices": _INT_LIST,
    "grid_t": "int32",
    "grid_h": "int32",
    "grid_w": "int32",
    "coords_t": _INT_LIST,
    "coords_row": _INT_LIST,
    "coords_col": _INT_LIST,
    "token_index": _INT_LIST,
}


class SchemaVersionError(ValueError):
    """The output was written with a schema this loader does not read."""


def _type_name(t):
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return "list<" + _type_name(t.value_type) + ">"
    return str(t)


def open_clips(path, split=None):
    """A pyarrow Dataset over OUT/clips (a directory, one file, or a list of files), filtered to `split`.

    Checks the columns a loader needs and that every row has schema_version 1 or 2; raises SchemaVersionError or
    ValueError naming the path and the bad value otherwise.
    """
    dataset = ds.dataset(path, format="parquet", partitioning="hive")
    names = dataset.schema.names
    for column, expected in REQUIRED.items():
        if column not in names:
            raise ValueError(f"{path}: column {column!r} missing; is this an autogaze OUT/clips folder? "
                             f"found {names[:8]}...")
        found = _type_name(dataset.schema.field(column).type)
        if found != expected:
            raise ValueError(f"{path}: column {column!r} has type {found}, expected {expected}")
    if "patches" in names and _type_name(dataset.schema.field("patches").type) not in ("binary", "large_binary"):
        raise ValueError(f"{path}: column 'patches' has type {dataset.schema.field('patches').type}, expected binary")
    versions = pc.unique(dataset.to_table(columns=["schema_version"]).column("schema_version")).to_pylist()
    bad = sorted(v for v in versions if v not in READABLE_VERSIONS)
    if bad:
        raise SchemaVersionError(f"{path}: schema_version {bad} found; this loader reads schema_version "
                                 f"{READABLE_VERSIONS[0]} to {READABLE_VERSIONS[-1]} (see docs/output-schema.md)")
    expression = split_filter(dataset, split, path)
    return dataset if expression is None else dataset.filter(expression)


def split_filter(dataset, split, path="clips"):
    """The row filter for `split` (None for all rows); an error when the output has no split column."""
    if split is None:
        return None
    if "split" not in dataset.schema.names:
        raise ValueError(f"{path}: split {split!r} asked for, but the output has no split column "
                         f"(the manifest had no split)")
    return pc.field("split") == split


def read_clips(path, split=None, columns=None):
    """OUT/clips as one pyarrow Table (all columns unless `columns` is given), in (video_id, clip_index) order."""
    table = open_clips(path, split).to_table(columns=columns)
    if "video_id" in table.column_names and "clip_index" in table.column_names:
        table = table.sort_by([("video_id", "ascending"), ("clip_index", "ascending")])
    return table


def read_errors(out_dir):
    """OUT/errors as a pyarrow Table (always present, possibly empty)."""
    return ds.dataset(os.path.join(out_dir, "errors"), format="parquet").to_table()


def read_summary(out_dir):
    """OUT/summary.json as a dict."""
    with open(os.path.join(out_dir, "summary.json"), encoding="utf-8") as f:
        return json.load(f)
