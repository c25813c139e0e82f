package dev.autogaze.integration;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The local file system, except that the JVM halts (as under SIGKILL: no shutdown hook, no cleanup) just before the
 * n-th file operation whose description matches a pattern, e.g. {@code rename .../_COMMITTED.tmp -> ...}. Installed
 * as {@code fs.file.impl} in a child JVM ({@link KilledRunDriver}), it kills a run at an exact point of the commit
 * protocol. System properties: autogaze.crash.match (regex, find), autogaze.crash.nth (default 1),
 * autogaze.crash.log (a file that receives every operation, for choosing patterns).
 */
public class CrashingFileSystem extends LocalFileSystem {

    /** The exit status of a halted run (as a shell reports SIGKILL). */
    public static final int HALT_STATUS = 137;

    private static final AtomicInteger MATCHES = new AtomicInteger();

    private static void before(String op) {
        String log = System.getProperty("autogaze.crash.log");
        if (log != null) {
            try {
                Files.writeString(java.nio.file.Path.of(log), op + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        String match = System.getProperty("autogaze.crash.match");
        if (match != null && Pattern.compile(match).matcher(op).find()) {
            int nth = Integer.parseInt(System.getProperty("autogaze.crash.nth", "1"));
            if (MATCHES.incrementAndGet() == nth) {
                System.err.println("CRASH POINT: halting before " + op);
                System.err.flush();
                Runtime.getRuntime().halt(HALT_STATUS);
            }
        }
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        before("rename " + src.toUri().getPath() + " -> " + dst.toUri().getPath());
        return super.rename(src, dst);
    }

    @Override
    public boolean delete(Path f, boolean recursive) throws IOException {
        before("delete " + f.toUri().getPath());
        return super.delete(f, recursive);
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize,
                                     short replication, long blockSize, Progressable progress) throws IOException {
        before("create " + f.toUri().getPath());
        return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
    }
}
