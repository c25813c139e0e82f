"""Read OUT/clips with Spark, join a captions table, and explode the coordinates to one row per kept token.

    python3 docs/examples/spark_captions.py OUT/clips CAPTIONS.csv      # pyspark from PyPI, local mode

CAPTIONS.csv has a header line `video_id,caption`. The same functions work in spark-submit jobs and notebooks.
"""
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F


def clip_captions(spark, clips_path, captions):
    """One row per captioned clip: ids, grid and the coordinate lists, joined with `captions` on video_id."""
    clips = spark.read.parquet(clips_path)  # split=... directories come back as the `split` column
    return (clips.select("video_id", "clip_index", "split", "grid_t", "grid_h", "grid_w", "token_count",
                         "coords_t", "coords_row", "coords_col")
            .join(captions, "video_id"))


def token_rows(clip_rows):
    """One row per kept token: video_id, clip_index, caption, k (its position in the clip's lists), t, row, col."""
    token = F.posexplode(F.arrays_zip("coords_t", "coords_row", "coords_col")).alias("k", "token")
    return (clip_rows.select("video_id", "clip_index", "caption", token)
            .select("video_id", "clip_index", "caption", "k", F.col("token.coords_t").alias("t"),
                    F.col("token.coords_row").alias("row"), F.col("token.coords_col").alias("col")))


if __name__ == "__main__":
    spark = (SparkSession.builder.master("local[1]").appName("autogaze-captions")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    captions = spark.read.option("header", True).csv(sys.argv[2])
    clips = clip_captions(spark, sys.argv[1], captions)
    clips.groupBy("caption").agg(F.count("*").alias("clips"), F.sum("token_count").alias("tokens")) \
        .orderBy("caption").show(truncate=False)
    tokens = token_rows(clips)
    tokens.orderBy("video_id", "clip_index", "k").show(4, truncate=False)
    tokens.groupBy("caption", "t").count().groupBy("caption") \
        .agg(F.sort_array(F.collect_list(F.struct("t", "count"))).alias("tokens per temporal bin")) \
        .orderBy("caption").show(truncate=False)
    spark.stop()
