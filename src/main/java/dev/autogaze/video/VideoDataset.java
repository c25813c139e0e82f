package dev.autogaze.video;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The videos of a dataset, on any Hadoop file system: a directory (recursive) or glob filtered by extension, or a
 * manifest. The result is sorted and its ids are stable, so reruns line up row for row.
 */
public final class VideoDataset {

    /** Extensions (lower case, no dot) listed by default. */
    public static final Set<String> DEFAULT_EXTENSIONS = Set.of("mp4", "m4v", "mov", "mkv", "webm", "avi", "mpg",
            "mpeg", "ts", "flv", "wmv", "3gp", "ogv");

    /** Manifest columns with a meaning; every other column passes through as an extra. */
    public static final List<String> KNOWN_COLUMNS = List.of("path", "video_id", "start_sec", "end_sec", "split");

    private VideoDataset() {
    }

    /**
     * A manifest row that names no usable video (blank path, a number that is not one, an empty window, an id
     * another row uses too, a line that is not a JSON object): the job writes it as an error row of stage MANIFEST
     * and goes on with the other rows.
     *
     * @param videoId the row's id when it has one, else one made from its path or its place in the manifest
     * @param path    the path as written ("" when there is none)
     * @param reason  what is wrong, naming the manifest and the row
     * @param stage   the error row's stage: {@link #STAGE_MANIFEST}, or {@link WebDataset#STAGE_SHARD} for a shard
     */
    public record Rejected(String videoId, String path, String reason, String stage) {

        /** A manifest row's rejection. */
        public Rejected(String videoId, String path, String reason) {
            this(videoId, path, reason, STAGE_MANIFEST);
        }
    }

    /** The error stage of a manifest row that names no usable video. */
    public static final String STAGE_MANIFEST = "MANIFEST";

    /**
     * What an input lists: the videos, the manifest rows that name none, and the source types of the kept columns
     * (absent: STRING).
     */
    public record Listing(List<VideoRef> videos, List<Rejected> rejected, Map<String, ColumnType> columnTypes) {

        public Listing {
            videos = List.copyOf(videos);
            rejected = List.copyOf(rejected);
            columnTypes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columnTypes));
        }

        public Listing(List<VideoRef> videos, List<Rejected> rejected) {
            this(videos, rejected, Map.of());
        }

        /** The source type of a kept column. */
        public ColumnType typeOf(String column) {
            return columnTypes.getOrDefault(column, ColumnType.STRING);
        }
    }

    /**
     * A manifest if {@code input} ends in .csv/.jsonl/.ndjson/.json/.parquet, else a directory or glob listed
     * with the default extensions. Strict: a bad manifest row is an IOException naming it (see {@link #listing}).
     */
    public static List<VideoRef> load(String input, Configuration conf) throws IOException {
        Listing l = listing(input, conf);
        if (!l.rejected().isEmpty()) {
            throw new IOException(l.rejected().get(0).reason());
        }
        return l.videos();
    }

    /**
     * Like {@link #load}, but a manifest row that names no usable video comes back in {@link Listing#rejected}
     * instead of failing the listing. What stops the whole manifest still throws: a missing or unreadable file,
     * no rows, a CSV header without {@code path}, a quoted CSV field that never closes.
     */
    public static Listing listing(String input, Configuration conf) throws IOException {
        return listing(input, List.of(), conf);
    }

    /**
     * Like {@link #listing(String, Configuration)}, and tar shards too: an input ending in {@code .tar} (a file, a
     * glob, a brace list), or a folder that holds {@code .tar} files and no videos, is a WebDataset
     * ({@link WebDataset#listing}); {@code keepColumns} names the sample fields its rows carry.
     */
    public static Listing listing(String input, List<String> keepColumns, Configuration conf) throws IOException {
        if (ManifestReader.formatOf(input) != null) {
            Listing kept = keepOnly(fromManifest(input, conf), keepColumns);
            return ManifestReader.formatOf(input) != ManifestReader.Format.PARQUET ? kept
                    : new Listing(kept.videos(), kept.rejected(), ManifestReader.parquetTypes(new Path(input), conf));
        }
        if (WebDataset.isShardInput(input)) {
            return WebDataset.listing(input, keepColumns, conf);
        }
        List<VideoRef> files = listFiles(input, DEFAULT_EXTENSIONS, conf);
        if (files.isEmpty() && !listFiles(input, Set.of("tar"), conf).isEmpty()) {
            return WebDataset.listing(input, keepColumns, conf);
        }
        if (files.isEmpty()) {
            throw noVideos(input, DEFAULT_EXTENSIONS);
        }
        if (!keepColumns.isEmpty()) {
            throw new IllegalArgumentException("--keep-columns " + String.join(",", keepColumns) + ": the input "
                    + input + " is a folder of video files, which has no columns (use a manifest)");
        }
        return new Listing(files, List.of());
    }

    /** A manifest's videos with only the named extra columns, in that order (null where a row lacks one). */
    private static Listing keepOnly(Listing l, List<String> keepColumns) {
        if (keepColumns.isEmpty()) {
            return l;
        }
        List<VideoRef> kept = new ArrayList<>(l.videos().size());
        for (VideoRef r : l.videos()) {
            Map<String, String> extra = new LinkedHashMap<>();
            for (String c : keepColumns) {
                extra.put(c, r.extra().get(c));
            }
            kept.add(new VideoRef(r.videoId(), r.path(), r.startSec(), r.endSec(), r.split(), extra, r.member()));
        }
        return new Listing(kept, l.rejected());
    }

    /**
     * Every file under a directory (recursively) or matching a glob whose extension is in {@code extensions}
     * (case-insensitive), skipping hidden names ({@code .x}, {@code _x}). The id is the path relative to the
     * directory (or to the glob's fixed prefix), e.g. {@code cats/001.mp4}. Nothing found is an error.
     */
    public static List<VideoRef> list(String dirOrGlob, Set<String> extensions, Configuration conf)
            throws IOException {
        List<VideoRef> refs = listFiles(dirOrGlob, extensions, conf);
        if (refs.isEmpty()) {
            throw noVideos(dirOrGlob, extensions);
        }
        return refs;
    }

    private static IOException noVideos(String dirOrGlob, Set<String> extensions) {
        return new IOException("no videos with extensions " + new TreeSet<>(extensions) + " found at " + dirOrGlob);
    }

    /** {@link #list}, empty when nothing matches. */
    private static List<VideoRef> listFiles(String dirOrGlob, Set<String> extensions, Configuration conf)
            throws IOException {
        Set<String> exts = new TreeSet<>();
        for (String e : extensions) {
            exts.add(e.toLowerCase(Locale.ROOT).replaceFirst("^\\.", ""));
        }
        Path input = new Path(dirOrGlob);
        FileSystem fs = input.getFileSystem(conf);
        boolean glob = dirOrGlob.matches(".*[*?\\[{].*");
        Path root = fs.makeQualified(glob ? fixedPrefix(input) : input);
        FileStatus[] matches = glob ? fs.globStatus(input) : new FileStatus[]{fs.getFileStatus(input)};
        List<Path> files = new ArrayList<>();
        for (FileStatus m : matches == null ? new FileStatus[0] : matches) {
            if (m.isDirectory()) {
                RemoteIterator<LocatedFileStatus> it = fs.listFiles(m.getPath(), true);
                while (it.hasNext()) {
                    files.add(it.next().getPath());
                }
                files.addAll(danglingLinks(fs, m.getPath()));
            } else {
                files.add(m.getPath());
            }
        }
        String rootStr = root.toUri().getPath().replaceAll("/+$", "");
        List<VideoRef> refs = new ArrayList<>();
        for (Path p : files) {
            String name = p.getName();
            int dot = name.lastIndexOf('.');
            String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
            if (name.startsWith(".") || name.startsWith("_") || !exts.contains(ext) || hiddenDir(p, rootStr)) {
                continue;
            }
            String full = p.toUri().getPath();
            String id = full.startsWith(rootStr + "/") ? full.substring(rootStr.length() + 1) : name;
            refs.add(new VideoRef(id, p.toString(), null, null, null, Map.of()));
        }
        refs.sort(Comparator.comparing(VideoRef::videoId));
        return refs;
    }

    /**
     * The videos a manifest lists (CSV with a header, JSON Lines, or Parquet). {@code path} is required; relative
     * paths resolve against the manifest's directory. Without {@code video_id}, the id is the path as written
     * (see {@link VideoRef#idFromPath}), plus {@code @start-end} when the row has a window. Rows with a blank path,
     * a bad number or window, or an id that another row has too are {@link Rejected}, each naming its row.
     */
    public static Listing fromManifest(String manifest, Configuration conf) throws IOException {
        Path path = new Path(manifest);
        List<ManifestReader.Row> rows = ManifestReader.readRows(path, conf);
        return fromRows(manifest, rows, path.getFileSystem(conf).makeQualified(path).getParent());
    }

    /** A manifest's rows as videos and rejected rows; relative paths resolve against {@code base}. */
    static Listing fromRows(String manifest, List<ManifestReader.Row> rows, Path base) throws IOException {
        if (rows.isEmpty()) {
            throw new IOException("manifest " + manifest + " has no rows");
        }
        if (ManifestReader.formatOf(manifest) == ManifestReader.Format.CSV && !rows.get(0).values().containsKey("path")
                && rows.get(0).problem() == null) {
            throw new IOException(manifest + " has no 'path' column (columns: "
                    + OneLine.printable(rows.get(0).values().keySet().toString()) + ")");
        }
        List<VideoRef> refs = new ArrayList<>(rows.size());
        List<Rejected> rejected = new ArrayList<>();
        Map<String, List<String>> rowsById = new HashMap<>();
        for (ManifestReader.Row row : rows) {
            String where = manifest + " " + row.where();
            String written = row.values().get("path");
            try {
                if (row.problem() != null) {
                    throw new IOException(where + " " + row.problem());
                }
                VideoRef ref = toRef(row.values(), base, where);
                refs.add(ref);
                rowsById.computeIfAbsent(ref.videoId(), k -> new ArrayList<>()).add(row.where());
            } catch (IOException e) {
                rejected.add(new Rejected(rejectedId(row, manifest), written == null ? "" : written, e.getMessage()));
            }
        }
        // An id on two rows names neither video for sure: both rows are rejected, each naming the others.
        List<VideoRef> unique = new ArrayList<>(refs.size());
        for (VideoRef ref : refs) {
            List<String> on = rowsById.get(ref.videoId());
            if (on.size() == 1) {
                unique.add(ref);
            } else {
                rejected.add(new Rejected(ref.videoId(), ref.path(), manifest + " " + String.join(" and ", on)
                        + " share video_id " + OneLine.printable(ref.videoId())));
            }
        }
        return new Listing(unique, rejected);
    }

    /**
     * A rejected row's id: its video_id, else the id its path gives, else "manifest.csv row 7" (stable while the
     * manifest is, so a resume skips the row it has reported).
     */
    private static String rejectedId(ManifestReader.Row row, String manifest) {
        String id = blankToNull(row.values().get("video_id"));
        if (id != null) {
            return id;
        }
        String written = blankToNull(row.values().get("path"));
        if (written != null) {
            try {
                return VideoRef.idFromPath(written);
            } catch (IllegalArgumentException e) {
                // a path like "/" names no file: fall through to the row's place
            }
        }
        return new Path(manifest).getName() + " " + row.where();
    }

    private static VideoRef toRef(Map<String, String> row, Path base, String where) throws IOException {
        if (!row.containsKey("path")) {
            throw new IOException(where + " has no 'path' column (columns: " + OneLine.printable(row.keySet().toString())
                    + ")");
        }
        String written = blankToNull(row.get("path"));
        if (written == null) {
            throw new IOException(where + " has a blank path");
        }
        Double start = number(row.get("start_sec"), "start_sec", where);
        Double end = number(row.get("end_sec"), "end_sec", where);
        String id = blankToNull(row.get("video_id"));
        if (id == null) {
            try {
                id = VideoRef.idFromPath(written);
            } catch (IllegalArgumentException e) {
                throw new IOException(where + ": " + OneLine.printable(e.getMessage()), e);
            }
            if (start != null || end != null) {
                id += "@" + (start == null ? "" : fmt(start)) + "-" + (end == null ? "" : fmt(end));
            }
        }
        Path p;
        try {
            p = new Path(written);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": path '" + OneLine.printable(written) + "' is not a valid path or URI: "
                    + OneLine.printable(e.getMessage()), e);
        }
        String resolved = p.isAbsoluteAndSchemeAuthorityNull() || p.toUri().getScheme() != null ? written
                : new Path(base, p).toString();
        Map<String, String> extra = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : row.entrySet()) {
            if (!KNOWN_COLUMNS.contains(e.getKey())) {
                extra.put(e.getKey(), e.getValue());
            }
        }
        try {
            return new VideoRef(id, resolved, start, end, blankToNull(row.get("split")), extra);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": " + OneLine.printable(e.getMessage()), e);
        }
    }

    /**
     * Symbolic links under a local folder whose target is gone. Hadoop's listing drops them without a word; listed,
     * they become OPEN error rows that name the missing target, so a broken link is seen, not lost.
     */
    private static List<Path> danglingLinks(FileSystem fs, Path dir) throws IOException {
        if (!"file".equals(fs.getUri().getScheme())) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (java.util.stream.Stream<java.nio.file.Path> walk = java.nio.file.Files.walk(
                java.nio.file.Path.of(dir.toUri().getPath()))) {
            walk.filter(p -> java.nio.file.Files.isSymbolicLink(p) && !java.nio.file.Files.exists(p))
                    .forEach(p -> out.add(fs.makeQualified(new Path(p.toUri()))));
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        return out;
    }

    private static Double number(String value, String column, String where) throws IOException {
        String v = blankToNull(value);
        if (v == null) {
            return null;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IOException(where + ": " + column + " '" + OneLine.printable(value) + "' is not a number", e);
        }
    }

    private static String fmt(double sec) {
        return sec == Math.rint(sec) ? Long.toString((long) sec) : Double.toString(sec);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static boolean hiddenDir(Path p, String rootStr) {
        String full = p.toUri().getPath();
        String rel = full.startsWith(rootStr + "/") ? full.substring(rootStr.length() + 1) : full;
        return rel.startsWith(".") || rel.startsWith("_") || rel.contains("/.") || rel.contains("/_");
    }

    private static Path fixedPrefix(Path glob) {
        Path p = glob;
        while (p != null && p.toString().matches(".*[*?\\[{].*")) {
            p = p.getParent();
        }
        return p == null ? new Path("/") : p;
    }
}
