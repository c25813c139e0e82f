"""OUT/clips through Spark's own Parquet reader (pyspark from requirements-test.txt): the documented schema, and the
captions example of docs/consumers.md (docs/examples/spark_captions.py) checked against pyarrow."""
import os
import re
import sys

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from autogaze_readout import read_clips
from conftest import REPO, SAMPLE_SPLITS

sys.path.insert(0, os.path.join(REPO, "docs", "examples"))


@pytest.fixture(scope="module")
def spark():
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession
    session = (SparkSession.builder.master("local[1]").appName("autogaze-python-tests")
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "2")
               # a JVM that lives seconds for two small reads: C2's compiles would cost more than they save
               .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def documented_clip_columns():
    """{column: Spark type} from the clips table of docs/output-schema.md ("list<int32>, per token" -> array<int>)."""
    doc = open(os.path.join(REPO, "docs", "output-schema.md"), encoding="utf-8").read()
    table = doc[doc.index("## The clips table"):doc.index("## The errors table")]
    scalar = {"int32": "int", "string": "string", "float": "float", "double": "double", "binary": "binary"}

    def spark_type(doc_type):
        m = re.fullmatch(r"list<(\w+)>", doc_type)
        if m:
            return f"array<{scalar[m.group(1)]}>"
        m = re.fullmatch(r"map<(\w+),(\w+)>", doc_type)
        if m:
            return f"map<{scalar[m.group(1)]},{scalar[m.group(2)]}>"
        return scalar[doc_type]

    columns = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0].startswith("`"):
            continue
        doc_type = re.match(r"list<\w+>|map<\w+,\w+>|\w+", cells[1]).group(0)
        for name in re.findall(r"`(\w+)`", cells[0]):
            columns[name] = spark_type(doc_type)
    return columns


def test_spark_reads_the_clips_with_the_documented_schema(spark, job_output):
    df = spark.read.parquet(os.path.join(job_output, "clips"))
    found = {f.name: f.dataType.simpleString() for f in df.schema.fields}
    documented = documented_clip_columns()
    assert len(documented) > 40
    assert found == documented
    # the partition directories come back as the split column, one value per manifest split
    assert sorted(r.split for r in df.select("split").distinct().collect()) == ["train", "val"]


def test_the_captions_example_joins_and_explodes_every_kept_token(spark, job_output):
    from spark_captions import clip_captions, token_rows
    ids = [vid for vid, _ in SAMPLE_SPLITS.values()]
    captions = spark.createDataFrame([(ids[0], "a red square"), (ids[2], "two circles")], ["video_id", "caption"])
    tokens = token_rows(clip_captions(spark, os.path.join(job_output, "clips"), captions))
    rows = tokens.orderBy("video_id", "clip_index", "k").collect()

    clips = read_clips(os.path.join(job_output, "clips"))
    clips = clips.filter(pc.is_in(clips["video_id"], value_set=pa.array([ids[0], ids[2]])))
    expected = []
    for r in clips.to_pylist():
        caption = "a red square" if r["video_id"] == ids[0] else "two circles"
        for k, (t, row, col) in enumerate(zip(r["coords_t"], r["coords_row"], r["coords_col"])):
            expected.append((r["video_id"], r["clip_index"], caption, k, t, row, col))
    assert len(expected) == sum(clips.column("token_count").to_pylist()) > 0
    assert [tuple(r) for r in rows] == expected
    # the uncaptioned video is dropped by the inner join
    assert ids[1] not in {r.video_id for r in rows}
    assert np.all(np.array([r.t for r in rows]) < clips.column("grid_t")[0].as_py())
