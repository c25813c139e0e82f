package dev.autogaze.video;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;

/**
 * A video as something FFmpeg can seek in: local paths are used in place; anything on another Hadoop file system
 * (hdfs:, s3a:, ...) is streamed to a temporary file, deleted on close; a tar shard's member is a seekable stream
 * over the shard. The bytes never sit in the heap.
 */
public final class LocalVideoFile implements AutoCloseable {

    private final java.nio.file.Path path;
    private final boolean temporary;
    private final InputStream stream;
    private final long size;

    private LocalVideoFile(java.nio.file.Path path, boolean temporary) {
        this(path, temporary, null, -1);
    }

    private LocalVideoFile(java.nio.file.Path path, boolean temporary, InputStream stream, long size) {
        this.path = path;
        this.temporary = temporary;
        this.stream = stream;
        this.size = size;
    }

    /**
     * The video of {@code ref}: its path as {@link #open(String, Configuration, java.nio.file.Path)} opens it, or,
     * for a member of a tar shard or a cell of a Parquet table, a seekable stream over its bytes where they are (FFmpeg
     * reads it through custom AVIO; a shard is never unpacked, and a remote shard is read by ranged reads).
     */
    public static LocalVideoFile open(VideoRef ref, Configuration conf, java.nio.file.Path tmpDir)
            throws VideoDecodeException {
        if (ref.member() == null) {
            return open(ref.path(), conf, tmpDir);
        }
        try {
            if (ref.member() instanceof TableCell cell) {
                return new LocalVideoFile(null, false, TableCells.open(ref.path(), cell, conf),
                        TableCells.size(ref.path(), cell, conf));
            }
            TarIndex.Member m = (TarIndex.Member) ref.member();
            Path shard = new Path(ref.path());
            FSDataInputStream in = shard.getFileSystem(conf).open(shard);
            return new LocalVideoFile(null, false, new RangeInputStream(in, m.offset(), m.size()), m.size());
        } catch (IOException | RuntimeException e) {
            throw new VideoDecodeException(ref.path(), DecodeStage.OPEN, "cannot read " + ref.member().name() + ": "
                    + OneLine.printable(e.getMessage()), e);
        }
    }

    /**
     * @param pathOrUri a plain local path, a {@code file:} URI, or any URI Hadoop has a file system for
     * @param conf      Hadoop configuration for non-local file systems
     * @param tmpDir    where temporary copies go (an executor's local dir)
     */
    public static LocalVideoFile open(String pathOrUri, Configuration conf, java.nio.file.Path tmpDir)
            throws VideoDecodeException {
        URI uri;
        try {
            uri = new Path(pathOrUri).toUri();
        } catch (IllegalArgumentException e) {
            throw new VideoDecodeException(pathOrUri, DecodeStage.OPEN, "not a valid path or URI: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme();
        if (scheme == null || scheme.equals("file")) {
            java.nio.file.Path local = java.nio.file.Path.of(uri.getPath());
            if (!Files.isRegularFile(local)) {
                throw new VideoDecodeException(pathOrUri, DecodeStage.OPEN, whyNotAFile(local));
            }
            return new LocalVideoFile(local, false);
        }
        java.nio.file.Path tmp = null;
        try {
            Files.createDirectories(tmpDir);
            String name = new Path(uri).getName();
            String ext = name.contains(".") ? name.substring(name.lastIndexOf('.')) : "";
            tmp = Files.createTempFile(tmpDir, "autogaze-video-", ext);
            Path hadoopPath = new Path(uri);
            FileSystem fs = hadoopPath.getFileSystem(conf);
            try (InputStream in = fs.open(hadoopPath)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            return new LocalVideoFile(tmp, true);
        } catch (IOException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the copy failed already
                }
            }
            throw new VideoDecodeException(pathOrUri, DecodeStage.OPEN, "cannot copy to a local file: " + e, e);
        }
    }

    private static String whyNotAFile(java.nio.file.Path local) {
        if (Files.isSymbolicLink(local) && !Files.exists(local)) {
            String target;
            try {
                target = Files.readSymbolicLink(local).toString();
            } catch (IOException e) {
                target = "?";
            }
            return "dangling symbolic link " + local + " -> " + target + " (the target does not exist)";
        }
        if (Files.isDirectory(local)) {
            return local + " is a directory, not a video file";
        }
        return Files.exists(local) ? local + " is not a regular file" : "no such file " + local;
    }

    /** The local file, or null when the video is a {@link #stream}. */
    public java.nio.file.Path path() {
        return path;
    }

    /** A seekable stream of the video's bytes (mark at its start, reset, skip) when it has no local file, else null. */
    InputStream stream() {
        return stream;
    }

    /** The stream's length in bytes (-1 for a file). */
    long size() {
        return size;
    }

    /** True when this is a temporary copy that close() deletes. */
    public boolean isTemporary() {
        return temporary;
    }

    @Override
    public void close() {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // a read-only stream: nothing is lost
            }
        }
        if (temporary) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // the executor's local dir is cleaned up with the application anyway
            }
        }
    }
}
