package dev.autogaze.testing;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local file system with a disk that fills up: under the folder {@link #fill} names, writes beyond a byte budget
 * (shared by all streams) fail with ENOSPC's message, as a full local disk does. Install it with
 * {@code spark.hadoop.fs.file.impl} and {@code spark.hadoop.fs.file.impl.disable.cache=true}.
 */
public class FullDiskFileSystem extends LocalFileSystem {

    private static volatile String root;
    private static final AtomicLong LEFT = new AtomicLong(Long.MAX_VALUE);

    /** From now on, at most {@code bytes} more can be written under {@code folder}; null lifts the limit. */
    public static void fill(String folder, long bytes) {
        root = folder;
        LEFT.set(bytes);
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
                                     short replication, long blockSize, Progressable progress) throws IOException {
        FSDataOutputStream inner = super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
        String r = root;
        if (r == null || !f.toUri().getPath().startsWith(r)) {
            return inner;
        }
        return new FSDataOutputStream(new FilterOutputStream(inner) {
            @Override
            public void write(int b) throws IOException {
                take(1);
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                take(len);
                out.write(b, off, len);
            }
        }, null);
    }

    private static void take(long n) throws IOException {
        if (LEFT.addAndGet(-n) < 0) {
            throw new IOException("No space left on device");
        }
    }
}
