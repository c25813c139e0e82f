"""Readers for the autogaze-spark job output (docs/output-schema.md, schema_version 1 and 2) on the PyTorch side.

numpy + pyarrow only at import time; torch is imported lazily by the torch helpers, so numpy-only use works.
"""
from autogaze_readout.batch import ClipBatch, keep_mask, load_batch
from autogaze_readout.clips import (
    READABLE_VERSIONS,
    SCHEMA_VERSION,
    SchemaVersionError,
    open_clips,
    read_clips,
    read_errors,
    read_summary,
)

__all__ = [
    "READABLE_VERSIONS",
    "SCHEMA_VERSION",
    "SchemaVersionError",
    "ClipBatch",
    "keep_mask",
    "load_batch",
    "open_clips",
    "read_clips",
    "read_errors",
    "read_summary",
]
