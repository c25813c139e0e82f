package dev.autogaze.io;

import dev.autogaze.video.ColumnType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

import java.io.Serializable;

/**
 * A column the user named with {@code --keep-columns}: appended to the clips table after the fixed columns, typed as
 * in the source (docs/output-schema.md, "Pass-through columns").
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
}
