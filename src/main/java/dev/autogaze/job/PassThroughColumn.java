package dev.autogaze.job;

import dev.autogaze.io.ClipRow;
import dev.autogaze.io.OutputSchema;
import dev.autogaze.video.ColumnType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;

import java.io.Serializable;
import java.util.List;

/**
 * A column the user named with {@code --keep-columns}: appended to the clips table after the fixed columns, typed as
 * in the source (docs/output-schema.md, "Pass-through columns"). It lives in the job, the one layer that sees both
 * the listing's source types (video) and the output's Spark types (io).
 */
public record PassThroughColumn(String name, ColumnType type) implements Serializable {

    public PassThroughColumn {
        if (OutputSchema.clipColumns().contains(name)) {
            throw new IllegalArgumentException("--keep-columns " + name + ": the clips table has a column of that name;"
                    + " rename it in the source");
        }
    }

    /** The Spark type the column is written as. */
    public DataType sparkType() {
        return switch (type) {
            case STRING -> DataTypes.StringType;
            case BOOLEAN -> DataTypes.BooleanType;
            case INT -> DataTypes.IntegerType;
            case LONG -> DataTypes.LongType;
            case FLOAT -> DataTypes.FloatType;
            case DOUBLE -> DataTypes.DoubleType;
        };
    }

    /** The column's Spark field (nullable: a video that lacks the column has null there). */
    public StructField field() {
        return new StructField(name, sparkType(), true, Metadata.empty());
    }

    /** The row's value of the column: its {@code extra} text of it, in the column's type. */
    public Object value(ClipRow r) {
        return r.extra() == null ? null : type.parse(r.extra().get(name));
    }

    static List<StructField> fields(List<PassThroughColumn> columns) {
        return columns.stream().map(PassThroughColumn::field).toList();
    }

    static Object[] values(ClipRow r, List<PassThroughColumn> columns) {
        Object[] out = new Object[columns.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = columns.get(i).value(r);
        }
        return out;
    }
}
