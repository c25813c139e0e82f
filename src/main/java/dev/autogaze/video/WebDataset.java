package dev.autogaze.video;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The samples of WebDataset tar shards (as video2dataset writes them and webdataset loaders read them): each sample
 * is the run of consecutive members sharing a key ({@code KEY.mp4}, {@code KEY.json}, {@code KEY.txt}), its video is
 * the member with a video extension, its id {@code shard/key}. Only the tar headers (and the JSON/text members of
 * kept columns) are read, with a few shards indexed at once; the videos stay in the shards until a task decodes
 * them. A shard that is cut or damaged, and a sample without exactly one video, are {@link VideoDataset.Rejected}
 * rows; the other samples still come through.
 */
public final class WebDataset {

    /** Error stage of a shard or sample that names no usable video. */
    public static final String STAGE_SHARD = "SHARD";

    /** Shards indexed at once: header reads are small and mostly wait on the store. */
    static final int INDEX_THREADS = 16;

    /** The largest JSON or text member read for kept columns. */
    static final int MAX_META_BYTES = 4 << 20;

    /** webdataset's key rule: the member name up to the first dot of its last path part; the rest is the extension. */
    private static final Pattern KEY = Pattern.compile("^((?:.*/|)[^.]+)[.]([^/]*)$");

    private static final ObjectMapper JSON = new ObjectMapper();

    private WebDataset() {
    }

    /** True when the input names tar shards: it ends in {@code .tar} (a file, a glob or a brace list). */
    public static boolean isShardInput(String input) {
        return input.toLowerCase(Locale.ROOT).endsWith(".tar");
    }

    /** A shard file found by the listing: its id (the path from the listed root, without .tar) and size. */
    record Shard(String id, Path path, long length) {
    }

    /**
     * The samples of every shard {@code input} names: a {@code .tar} file, a glob, a brace list
     * ({@code shards/{00000..00099}.tar}) or a folder (its {@code .tar} files, recursively). {@code keepColumns}
     * names fields of {@code KEY.json}, or extensions of text members ({@code txt} for {@code KEY.txt}); each sample
     * carries them, in that order, as extras (null where a sample lacks one).
     */
    public static VideoDataset.Listing listing(String input, List<String> keepColumns, Configuration conf)
            throws IOException {
        List<VideoDataset.Rejected> rejected = new ArrayList<>();
        List<Shard> shards = shards(input, conf, rejected);
        if (shards.isEmpty() && rejected.isEmpty()) {
            throw new FileNotFoundException("no .tar shards found at " + input);
        }
        List<VideoRef> refs = new ArrayList<>();
        Map<String, ColumnType> types = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(INDEX_THREADS, shards.size())),
                r -> {
                    Thread t = new Thread(r, "autogaze-shard-index");
                    t.setDaemon(true);
                    return t;
                });
        try {
            List<Future<VideoDataset.Listing>> parts = new ArrayList<>();
            for (Shard s : shards) {
                parts.add(pool.submit(() -> samples(s, keepColumns, reader(s.path().getFileSystem(conf)))));
            }
            for (Future<VideoDataset.Listing> f : parts) {
                VideoDataset.Listing l = f.get();
                refs.addAll(l.videos());
                rejected.addAll(l.rejected());
                l.columnTypes().forEach((c, t) -> types.merge(c, t, ColumnType::merge));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while indexing shards of " + input, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new VideoDataset.Listing(refs, rejected, types);
    }

    /** The shard files, sorted by id; a shard a brace list names that does not exist is a rejected row. */
    static List<Shard> shards(String input, Configuration conf, List<VideoDataset.Rejected> missing)
            throws IOException {
        List<String> patterns;
        try {
            patterns = ShardPattern.hasBraces(input) ? ShardPattern.expand(input) : List.of(input);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        Path first = new Path(patterns.get(0));
        FileSystem fs = first.getFileSystem(conf);
        String rootStr = fs.makeQualified(fixedPrefix(input)).toUri().getPath().replaceAll("/+$", "");
        Map<String, Shard> byId = new HashMap<>();
        for (String p : patterns) {
            Path path = new Path(p);
            boolean glob = p.matches(".*[*?\\[].*");
            FileStatus[] matches;
            if (glob) {
                matches = fs.globStatus(path);
            } else {
                try {
                    matches = new FileStatus[] {fs.getFileStatus(path)};
                } catch (FileNotFoundException e) {
                    if (patterns.size() == 1) {
                        throw e;
                    }
                    String id = shardId(fs.makeQualified(path), rootStr);
                    missing.add(new VideoDataset.Rejected(id, p, "shard " + p + " (named by " + input
                            + ") does not exist", STAGE_SHARD));
                    continue;
                }
            }
            for (FileStatus m : matches == null ? new FileStatus[0] : matches) {
                if (m.isDirectory()) {
                    RemoteIterator<LocatedFileStatus> it = fs.listFiles(m.getPath(), true);
                    while (it.hasNext()) {
                        LocatedFileStatus f = it.next();
                        if (isShardInput(f.getPath().getName()) && !hidden(f.getPath().getName())) {
                            Shard s = new Shard(shardId(f.getPath(), rootStr), f.getPath(), f.getLen());
                            byId.put(s.id(), s);
                        }
                    }
                } else if (isShardInput(m.getPath().getName())) {
                    Shard s = new Shard(shardId(m.getPath(), rootStr), m.getPath(), m.getLen());
                    byId.put(s.id(), s);
                }
            }
        }
        List<Shard> shards = new ArrayList<>(byId.values());
        shards.sort(Comparator.comparing(Shard::id));
        return shards;
    }

    /**
     * The file system to index with: a local shard is read without Hadoop's checksum layer (no .crc files sit beside
     * shards, and its positioned reads cost more than the header itself).
     */
    private static FileSystem reader(FileSystem fs) {
        return fs instanceof org.apache.hadoop.fs.LocalFileSystem local ? local.getRawFileSystem() : fs;
    }

    /** One shard's samples and rejected rows. */
    static VideoDataset.Listing samples(Shard shard, List<String> keepColumns, FileSystem fs) throws IOException {
        List<VideoRef> refs = new ArrayList<>();
        List<VideoDataset.Rejected> rejected = new ArrayList<>();
        Map<String, ColumnType> types = new LinkedHashMap<>();
        String where = "shard " + shard.path();
        TarIndex index;
        try (FSDataInputStream in = fs.open(shard.path())) {
            index = TarIndex.read(in, shard.length());
            // Group consecutive members by key, as webdataset loaders do.
            List<List<TarIndex.Member>> groups = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (TarIndex.Member m : index.members()) {
                Matcher k = KEY.matcher(m.name());
                String key = k.matches() ? k.group(1) : m.name();
                if (keys.isEmpty() || !keys.get(keys.size() - 1).equals(key)) {
                    keys.add(key);
                    groups.add(new ArrayList<>());
                }
                groups.get(groups.size() - 1).add(m);
            }
            Map<String, Integer> seen = new HashMap<>();
            for (String key : keys) {
                seen.merge(key, 1, Integer::sum);
            }
            for (int g = 0; g < groups.size(); g++) {
                String key = keys.get(g);
                String id = shard.id() + "/" + key;
                String path = shard.path().toString();
                List<TarIndex.Member> members = groups.get(g);
                if (seen.get(key) > 1) {
                    rejected.add(new VideoDataset.Rejected(id, path, where + ": key " + OneLine.printable(key)
                            + " is used by " + seen.get(key) + " separate runs of members", STAGE_SHARD));
                    continue;
                }
                List<TarIndex.Member> videos = new ArrayList<>();
                for (TarIndex.Member m : members) {
                    if (VideoDataset.DEFAULT_EXTENSIONS.contains(lastExtension(m.name()))) {
                        videos.add(m);
                    }
                }
                if (videos.size() != 1) {
                    rejected.add(new VideoDataset.Rejected(id, path, where + ": sample " + OneLine.printable(key)
                            + (videos.isEmpty() ? " has no video member" : " has " + videos.size() + " video members")
                            + " (members: " + OneLine.printable(names(members)) + ")", STAGE_SHARD));
                    continue;
                }
                try {
                    refs.add(new VideoRef(id, path, null, null, null, kept(in, key, members, keepColumns, types),
                            videos.get(0)));
                } catch (IOException e) {
                    rejected.add(new VideoDataset.Rejected(id, path, where + ": sample " + OneLine.printable(key)
                            + ": " + OneLine.printable(e.getMessage()), STAGE_SHARD));
                }
            }
        }
        if (index.problem() != null) {
            rejected.add(new VideoDataset.Rejected(shard.id(), shard.path().toString(), where + " " + index.problem()
                    + "; the " + refs.size() + " samples before that point are processed", STAGE_SHARD));
        } else if (index.members().isEmpty()) {
            rejected.add(new VideoDataset.Rejected(shard.id(), shard.path().toString(), where + " has no members",
                    STAGE_SHARD));
        }
        return new VideoDataset.Listing(refs, rejected, types);
    }

    /**
     * The kept columns of one sample: a JSON field of {@code KEY.json} (strings as they are, other values as JSON
     * text), else the text of member {@code KEY.<column>}, else null. Each value's type is merged into {@code types}.
     */
    private static Map<String, String> kept(FSDataInputStream in, String key, List<TarIndex.Member> members,
                                            List<String> keepColumns, Map<String, ColumnType> types)
            throws IOException {
        if (keepColumns.isEmpty()) {
            return Map.of();
        }
        Map<String, TarIndex.Member> byExt = new HashMap<>();
        for (TarIndex.Member m : members) {
            byExt.put(m.name().substring(Math.min(m.name().length(), key.length() + 1)), m);
        }
        JsonNode json = null;
        TarIndex.Member jm = byExt.get("json");
        if (jm != null) {
            try {
                json = JSON.readTree(TarIndex.bytes(in, jm, MAX_META_BYTES));
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new IOException(jm.name() + " is not JSON: " + e.getOriginalMessage(), e);
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String c : keepColumns) {
            JsonNode v = json != null && json.isObject() ? json.get(c) : null;
            if (v != null) {
                out.put(c, v.isNull() ? null : v.isTextual() ? v.textValue() : v.toString());
                ColumnType t = ColumnType.of(v);
                if (t != null) {
                    types.merge(c, t, ColumnType::merge);
                }
            } else if (byExt.containsKey(c) && !c.equals("json")) {
                out.put(c, new String(TarIndex.bytes(in, byExt.get(c), MAX_META_BYTES), StandardCharsets.UTF_8));
                types.merge(c, ColumnType.STRING, ColumnType::merge);
            } else {
                out.put(c, null);
            }
        }
        return out;
    }

    private static String names(List<TarIndex.Member> members) {
        List<String> n = new ArrayList<>();
        for (TarIndex.Member m : members) {
            n.add(m.name());
        }
        return String.join(", ", n);
    }

    private static String lastExtension(String name) {
        String base = name.substring(name.lastIndexOf('/') + 1);
        int dot = base.lastIndexOf('.');
        return dot < 0 ? "" : base.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String shardId(Path p, String rootStr) {
        String full = p.toUri().getPath();
        String rel = full.startsWith(rootStr + "/") ? full.substring(rootStr.length() + 1) : p.getName();
        return rel.substring(0, rel.length() - ".tar".length());
    }

    private static boolean hidden(String name) {
        return name.startsWith(".") || name.startsWith("_");
    }

    /** The part of a pattern before its first brace or glob character, up to a path separator. */
    private static Path fixedPrefix(String input) {
        int cut = input.length();
        for (char c : new char[] {'{', '*', '?', '['}) {
            int i = input.indexOf(c);
            if (i >= 0) {
                cut = Math.min(cut, i);
            }
        }
        if (cut == input.length()) {
            // a single file's root is its folder; a folder is its own root
            return isShardInput(input) ? new Path(input).getParent() : new Path(input);
        }
        int slash = input.lastIndexOf('/', cut);
        return new Path(slash <= 0 ? "/" : input.substring(0, slash));
    }
}
