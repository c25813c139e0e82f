package dev.autogaze.io;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.ParquetDecodingException;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads OUT/clips (a folder of Parquet part files, possibly in {@code split=} directories, or one file) into
 * {@link ClipCoordinates} with plain parquet-hadoop, no Spark: for trainers and tools on the JVM. Files are read
 * in path order, rows in file order.
 *
 * <pre>{@code
 * try (ClipParquetReader r = ClipParquetReader.open("OUT/clips", new Configuration(), false)) {
 *     for (ClipCoordinates c = r.next(); c != null; c = r.next()) { ... }
 * }
 * }</pre>
 */
public final class ClipParquetReader implements AutoCloseable {

    private final Configuration conf;
    private final boolean fixations;
    private final boolean patches;
    private final List<Path> files;
    private int nextFile;
    private ParquetReader<ClipCoordinates> current;

    private ClipParquetReader(Configuration conf, boolean fixations, boolean patches, List<Path> files) {
        this.conf = conf;
        this.fixations = fixations;
        this.patches = patches;
        this.files = files;
    }

    /**
     * @param path      OUT/clips, or one Parquet file of it (any Hadoop path or URI)
     * @param fixations also read the fix_* columns (for overlays); coordinates and stats are always read
     */
    public static ClipParquetReader open(String path, Configuration conf, boolean fixations) throws IOException {
        return open(path, conf, fixations, false);
    }

    /**
     * As {@link #open(String, Configuration, boolean)}, and with {@code patches} each clip's token pixels too
     * ({@link ClipCoordinates#patches()}); a file or row without them is an {@link OutputFormatException}.
     */
    public static ClipParquetReader open(String path, Configuration conf, boolean fixations, boolean patches)
            throws IOException {
        return new ClipParquetReader(conf, fixations, patches, dataFiles(new Path(path), conf));
    }

    /** Every clip under {@code path}, in file order. */
    public static List<ClipCoordinates> readAll(String path, Configuration conf, boolean fixations)
            throws IOException {
        return readAll(path, conf, fixations, false);
    }

    /** Every clip under {@code path}, in file order, with its token pixels when {@code patches}. */
    public static List<ClipCoordinates> readAll(String path, Configuration conf, boolean fixations, boolean patches)
            throws IOException {
        List<ClipCoordinates> out = new ArrayList<>();
        try (ClipParquetReader r = open(path, conf, fixations, patches)) {
            for (ClipCoordinates c = r.next(); c != null; c = r.next()) {
                out.add(c);
            }
        }
        return out;
    }

    /** The Parquet data files under a folder (recursively, skipping _SUCCESS, .crc and other hidden files). */
    public static List<Path> dataFiles(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        FileStatus status;
        try {
            status = fs.getFileStatus(path);
        } catch (FileNotFoundException e) {
            throw new FileNotFoundException("no clips output at " + path);
        }
        List<Path> out = new ArrayList<>();
        if (status.isFile()) {
            out.add(status.getPath());
            return out;
        }
        collect(fs, status.getPath(), out);
        out.sort(Comparator.comparing(Path::toString));
        return out;
    }

    private static void collect(FileSystem fs, Path dir, List<Path> out) throws IOException {
        for (FileStatus s : fs.listStatus(dir)) {
            String name = s.getPath().getName();
            if (name.startsWith("_") || name.startsWith(".")) {
                continue;
            }
            if (s.isDirectory()) {
                collect(fs, s.getPath(), out);
            } else if (name.endsWith(".parquet")) {
                out.add(s.getPath());
            }
        }
    }

    /** The split a {@code split=value} parent directory names (Spark escapes values as %XX), else null. */
    static String directorySplit(Path file) {
        Path parent = file.getParent();
        if (parent == null || !parent.getName().startsWith("split=")) {
            return null;
        }
        String value = parent.getName().substring("split=".length());
        return value.equals("__HIVE_DEFAULT_PARTITION__") ? null
                : URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The next clip, or null after the last one. */
    public ClipCoordinates next() throws IOException {
        while (true) {
            if (current != null) {
                ClipCoordinates c = read(current);
                if (c != null) {
                    return c;
                }
                current.close();
                current = null;
            }
            if (nextFile >= files.size()) {
                return null;
            }
            Path file = files.get(nextFile++);
            current = build(file);
        }
    }

    /** parquet-hadoop wraps a materializer's exception; a format error is passed on as itself. */
    private static ClipCoordinates read(ParquetReader<ClipCoordinates> reader) throws IOException {
        try {
            return reader.read();
        } catch (ParquetDecodingException e) {
            if (e.getCause() instanceof OutputFormatException f) {
                throw f;
            }
            throw e;
        }
    }

    @SuppressWarnings("deprecation") // the Path-based builder is the one that takes a ReadSupport in 1.13
    private ParquetReader<ClipCoordinates> build(Path file) throws IOException {
        ClipReadSupport support = new ClipReadSupport(file.toString(), directorySplit(file), fixations, patches);
        return ParquetReader.builder(support, file).withConf(conf).build();
    }

    /** Files this reader covers, in reading order. */
    public List<Path> files() {
        return List.copyOf(files);
    }

    @Override
    public void close() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            current = null;
        }
    }
}
