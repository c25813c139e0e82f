package dev.autogaze.video;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;

/**
 * A video as a local file FFmpeg can seek in: local paths are used in place; anything on another Hadoop file
 * system (hdfs:, s3a:, ...) is streamed to a temporary file, deleted on close. The bytes never sit in the heap.
 */
public final class LocalVideoFile implements AutoCloseable {

    private final java.nio.file.Path path;
    private final boolean temporary;

    private LocalVideoFile(java.nio.file.Path path, boolean temporary) {
        this.path = path;
        this.temporary = temporary;
    }

    /**
     * The video of {@code ref} as a local file: its path as {@link #open(String, Configuration, java.nio.file.Path)}
     * does, or, for a member of a tar shard, the member's bytes copied to a temporary file (the shard is never
     * unpacked whole; a local shard is read in place, a remote one with one ranged read).
     */
    public static LocalVideoFile open(VideoRef ref, Configuration conf, java.nio.file.Path tmpDir)
            throws VideoDecodeException {
        return ref.member() == null ? open(ref.path(), conf, tmpDir) : openMember(ref.path(), ref.member(), conf, tmpDir);
    }

    private static LocalVideoFile openMember(String shard, TarIndex.Member m, Configuration conf,
                                             java.nio.file.Path tmpDir) throws VideoDecodeException {
        if (m.size() == 0) {
            throw new VideoDecodeException(shard, DecodeStage.OPEN, "member " + m.name() + " is empty (0 bytes)");
        }
        java.nio.file.Path tmp = null;
        try {
            Files.createDirectories(tmpDir);
            String name = new Path(m.name()).getName();
            tmp = Files.createTempFile(tmpDir, "autogaze-member-", name.contains(".")
                    ? name.substring(name.lastIndexOf('.')) : "");
            Path hadoopPath = new Path(shard);
            FileSystem fs = hadoopPath.getFileSystem(conf);
            try (org.apache.hadoop.fs.FSDataInputStream in = fs.open(hadoopPath);
                 java.io.OutputStream out = Files.newOutputStream(tmp)) {
                in.seek(m.offset());
                byte[] buf = new byte[1 << 16];
                long left = m.size();
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        throw new java.io.EOFException("the shard ends " + left + " bytes before the end of member "
                                + m.name());
                    }
                    out.write(buf, 0, n);
                    left -= n;
                }
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
            throw new VideoDecodeException(shard, DecodeStage.OPEN, "cannot copy member " + m.name()
                    + " to a local file: " + e, e);
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

    public java.nio.file.Path path() {
        return path;
    }

    /** True when this is a temporary copy that close() deletes. */
    public boolean isTemporary() {
        return temporary;
    }

    @Override
    public void close() {
        if (temporary) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // the executor's local dir is cleaned up with the application anyway
            }
        }
    }
}
