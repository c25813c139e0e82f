package dev.autogaze.io;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.UUID;

/**
 * Checks an output folder before Spark starts, so that a read-only folder, a file given as the folder or a full
 * disk ends in one line naming the path instead of a failed Spark job: the folder is created if missing and a
 * small probe file is written into it and deleted.
 */
public final class OutputTarget {

    private OutputTarget() {
    }

    /** Throws IllegalArgumentException with a one-line message when {@code out} cannot take the job's output. */
    public static void check(String out, Configuration conf) {
        Path dir;
        FileSystem fs;
        try {
            dir = new Path(out);
            fs = dir.getFileSystem(conf);
        } catch (IllegalArgumentException | IOException e) {
            throw new IllegalArgumentException("--out " + out + " is not a usable path: " + oneLine(e));
        }
        try {
            FileStatus status = fs.getFileStatus(dir);
            if (!status.isDirectory()) {
                throw new IllegalArgumentException("--out " + out + " is a file; give a folder (the job writes clips/,"
                        + " errors/ and summary.json into it)");
            }
        } catch (FileNotFoundException e) {
            try {
                if (!fs.mkdirs(dir)) {
                    throw new IOException("mkdirs failed");
                }
            } catch (IOException | RuntimeException e2) {
                throw new IllegalArgumentException("--out " + out + ": cannot create the folder (" + oneLine(e2) + ")");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--out " + out + ": cannot read it (" + oneLine(e) + ")");
        }
        Path probe = new Path(dir, "_write-check-" + UUID.randomUUID());
        try {
            try (FSDataOutputStream o = fs.create(probe, false)) {
                o.write(new byte[4096]);
            }
            fs.delete(probe, false);
        } catch (IOException | RuntimeException e) {
            try {
                fs.delete(probe, false);
            } catch (IOException | RuntimeException ignored) {
                // nothing was created, or the folder refuses deletes too
            }
            throw new IllegalArgumentException("--out " + out + ": cannot write into it (" + oneLine(e) + ")");
        }
    }

    /** An exception's message without stack or line breaks (Hadoop's can span lines). */
    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }
}
