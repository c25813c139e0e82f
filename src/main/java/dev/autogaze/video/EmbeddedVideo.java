package dev.autogaze.video;

/**
 * Where a video's bytes are inside a container file that holds many videos: a tar shard's member
 * ({@link TarIndex.Member}) or a cell of a Parquet table's binary column ({@link TableCell}).
 */
public sealed interface EmbeddedVideo extends java.io.Serializable permits TarIndex.Member, TableCell {

    /** How messages name it: the member's name, or column and row. */
    String name();
}
