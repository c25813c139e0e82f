package dev.autogaze.video;

/**
 * A video held as bytes in one cell of a Parquet table: {@code column} (a dotted path for a nested field, such as
 * {@code video.bytes}) of row {@code rowInGroup} of row group {@code rowGroup}; {@code row} counts from the start of
 * the file, for messages.
 */
public record TableCell(String column, int rowGroup, long rowInGroup, long row) implements EmbeddedVideo {

    @Override
    public String name() {
        return column + " of row " + row;
    }
}
