package dev.autogaze.job;

import dev.autogaze.io.OutputSchema;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

/**
 * What the whole output folder holds after a run (every published wave, of this run and earlier ones), so that
 * summary.json describes the output even after a resume or an append, where the run's own counts cover less.
 */
public record OutputTotals(long clips, long videos, long tokens, long errorRows) {

    /** Counts both tables with Spark (three columns read; the schema is given, never inferred). */
    public static OutputTotals read(SparkSession spark, Path clips, Path errors) {
        Row c = spark.read().schema(OutputSchema.CLIPS).parquet(clips.toString())
                .agg(count(lit(1)), countDistinct("video_id"), coalesce(sum("token_count"), lit(0L)))
                .first();
        long e = spark.read().schema(OutputSchema.ERRORS).parquet(errors.toString()).count();
        return new OutputTotals(c.getLong(0), c.getLong(1), ((Number) c.get(2)).longValue(), e);
    }
}
