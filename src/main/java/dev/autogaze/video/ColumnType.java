package dev.autogaze.video;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.Type;

/**
 * The type a pass-through column has in its source, so it lands in the output typed the same: from a Parquet
 * column's physical type, or from the JSON values of a WebDataset field (all integers: LONG; all numbers: DOUBLE;
 * all booleans: BOOLEAN). Everything else, and every CSV or text value, is STRING. Values travel as their exact text
 * and {@link #parse} turns them back.
 */
public enum ColumnType {
    STRING, BOOLEAN, INT, LONG, FLOAT, DOUBLE;

    /** A Parquet field's type: its primitive type, STRING for text, binary, decimals, groups and lists. */
    public static ColumnType of(Type t) {
        if (!t.isPrimitive() || t.isRepetition(Type.Repetition.REPEATED)
                || t.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) {
            return STRING;
        }
        return switch (t.asPrimitiveType().getPrimitiveTypeName()) {
            case BOOLEAN -> BOOLEAN;
            case INT32 -> INT;
            case INT64 -> LONG;
            case FLOAT -> FLOAT;
            case DOUBLE -> DOUBLE;
            default -> STRING;
        };
    }

    /** A JSON value's type; null for a JSON null (it says nothing about the column). */
    public static ColumnType of(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return LONG;
        }
        if (v.isNumber()) {
            return DOUBLE;
        }
        return v.isBoolean() ? BOOLEAN : STRING;
    }

    /** The type of a column that holds values of both types (null: no value seen yet). */
    public static ColumnType merge(ColumnType a, ColumnType b) {
        if (a == null || a == b) {
            return b == null ? a : b;
        }
        if (b == null) {
            return a;
        }
        boolean numbers = a != STRING && a != BOOLEAN && b != STRING && b != BOOLEAN;
        if (numbers) {
            return a == INT && b == LONG || a == LONG && b == INT ? LONG : DOUBLE;
        }
        return STRING;
    }

    /** The value {@code text} (as written by the listing) in this type; null stays null. */
    public Object parse(String text) {
        if (text == null) {
            return null;
        }
        return switch (this) {
            case STRING -> text;
            case BOOLEAN -> Boolean.parseBoolean(text);
            case INT -> Integer.parseInt(text);
            case LONG -> Long.parseLong(text);
            case FLOAT -> Float.parseFloat(text);
            case DOUBLE -> Double.parseDouble(text);
        };
    }
}
