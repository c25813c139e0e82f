package dev.autogaze.testing;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

import java.io.IOException;
import java.util.regex.Pattern;

/**
 * The local file system, except that creating a file whose path matches {@link #failCreating} throws an IOException
 * (as a full or read-only disk would at that moment). Install it with {@code spark.hadoop.fs.file.impl} and
 * {@code spark.hadoop.fs.file.impl.disable.cache=true}; with no pattern set it is the local file system.
 */
public class FailingFileSystem extends LocalFileSystem {

    private static volatile Pattern failing;

    /** From now on, creating a file whose path (URI path) matches {@code regex} (find) fails; null: none does. */
    public static void failCreating(String regex) {
        failing = regex == null ? null : Pattern.compile(regex);
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
                                     short replication, long blockSize, Progressable progress) throws IOException {
        Pattern p = failing;
        if (p != null && p.matcher(f.toUri().getPath()).find()) {
            throw new IOException("injected failure creating " + f.toUri().getPath());
        }
        return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
    }
}
