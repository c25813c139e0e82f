package dev.autogaze.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds an AutoGaze model folder (config.json + model.safetensors): an explicit path, or a snapshot in the
 * Hugging Face hub cache, so a model downloaded once with {@code huggingface-cli} is used without copying it.
 * A failure lists every place that was looked at.
 *
 * <p>Cache roots, in order: {@code $HF_HUB_CACHE}, {@code $HF_HOME/hub}, {@code $XDG_CACHE_HOME/huggingface/hub},
 * {@code ~/.cache/huggingface/hub}. In a root, {@code models--<owner>--<name>/refs/main} names the snapshot to use
 * (a missing or broken one is an error); without it the most recently modified complete snapshot wins.
 */
public final class ModelLocator {

    public static final String DEFAULT_REPO = "nvidia/AutoGaze";

    private final Map<String, String> env;
    private final Path home;

    /** A locator reading the given environment and home folder (tests pass fakes). */
    public ModelLocator(Map<String, String> env, Path home) {
        this.env = Map.copyOf(env);
        this.home = home;
    }

    /** A locator over the process environment and {@code user.home}. */
    public static ModelLocator system() {
        return new ModelLocator(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** True when {@code dir} holds config.json and model.safetensors. */
    public static boolean isModelFolder(Path dir) {
        return Files.isRegularFile(dir.resolve("config.json")) && Files.isRegularFile(dir.resolve("model.safetensors"));
    }

    /** The explicit folder when given (it must be a model folder), else the cached {@link #DEFAULT_REPO}. */
    public Path locate(Path explicit) {
        if (explicit != null) {
            if (isModelFolder(explicit)) {
                return explicit;
            }
            // A hub repo folder (models--owner--name) is accepted too, and so is a cache root holding the default
            // repo (HF_HOME or its hub/ folder), so a cluster can point --model at a shared cache.
            String repoFolder = repoFolder(DEFAULT_REPO);
            for (Path repo : List.of(explicit, explicit.resolve(repoFolder), explicit.resolve("hub").resolve(repoFolder))) {
                Optional<Path> snapshot = snapshotIn(repo);
                if (snapshot.isPresent()) {
                    return snapshot.get();
                }
            }
            throw new ModelFormatException("model folder " + explicit + " has no config.json and model.safetensors"
                    + " (nor snapshots/<revision>/ with them, nor a cache entry " + repoFolder + " in it or in its hub/)");
        }
        return locateCached(DEFAULT_REPO);
    }

    /** The snapshot of {@code repoId} ("owner/name") in the first cache root that has a complete one. */
    public Path locateCached(String repoId) {
        String folder = repoFolder(repoId);
        List<String> looked = new ArrayList<>();
        for (Path root : cacheRoots()) {
            Path repo = root.resolve(folder);
            looked.add(repo.toString());
            Optional<Path> snapshot = snapshotIn(repo);
            if (snapshot.isPresent()) {
                return snapshot.get();
            }
        }
        throw new ModelFormatException("no AutoGaze model found for " + repoId + "; looked in " + String.join(", ",
                looked) + " (download it with `huggingface-cli download " + repoId + "` or pass the model folder)");
    }

    /** The first cache root's folder of {@code repoId}, whatever its state; empty when no root has one. */
    public Optional<Path> cachedRepo(String repoId) {
        String folder = repoFolder(repoId);
        return cacheRoots().stream().map(r -> r.resolve(folder)).filter(Files::isDirectory).findFirst();
    }

    /** The hub cache's folder name of a repo id: "nvidia/AutoGaze" -> "models--nvidia--AutoGaze". */
    static String repoFolder(String repoId) {
        String[] parts = repoId.split("/");
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException("model repo id '" + repoId + "' is not of the form owner/name");
        }
        return "models--" + parts[0] + "--" + parts[1];
    }

    /** The hub cache roots to search, in priority order, without duplicates. */
    public List<Path> cacheRoots() {
        List<Path> roots = new ArrayList<>();
        add(roots, env.get("HF_HUB_CACHE"), null);
        add(roots, env.get("HF_HOME"), "hub");
        add(roots, env.get("XDG_CACHE_HOME"), "huggingface/hub");
        add(roots, home.resolve(".cache").toString(), "huggingface/hub");
        return roots;
    }

    private static void add(List<Path> roots, String base, String sub) {
        if (base == null || base.isBlank()) {
            return;
        }
        Path p = sub == null ? Path.of(base) : Path.of(base).resolve(sub);
        p = p.toAbsolutePath().normalize();
        if (!roots.contains(p)) {
            roots.add(p);
        }
    }

    /**
     * refs/main's snapshot, else the newest complete snapshot. A refs/main naming a missing or incomplete snapshot is
     * an error (never a silent switch to another revision), and so is a repo folder whose snapshots are all
     * incomplete: the message names the dangling link and its missing blob, as an interrupted download leaves them.
     */
    static Optional<Path> snapshotIn(Path repo) {
        Path snapshots = repo.resolve("snapshots");
        if (!Files.isDirectory(snapshots)) {
            return Optional.empty();
        }
        Path ref = repo.resolve("refs").resolve("main");
        if (Files.isRegularFile(ref)) {
            String revision;
            try {
                revision = Files.readString(ref).trim();
            } catch (IOException e) {
                throw new ModelFormatException(ref + " cannot be read: " + e.getMessage(), e);
            }
            Path snap = snapshots.resolve(revision);
            if (revision.isEmpty() || revision.contains("/") || !Files.isDirectory(snap)) {
                throw new ModelFormatException(ref + " names revision '" + revision + "' but " + snap
                        + " does not exist" + REDOWNLOAD);
            }
            String broken = problem(snap);
            if (broken != null) {
                throw new ModelFormatException(ref + " names revision " + revision + ", whose snapshot is broken: "
                        + broken + REDOWNLOAD);
            }
            return Optional.of(snap);
        }
        List<Path> all;
        try (Stream<Path> list = Files.list(snapshots)) {
            all = list.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            return Optional.empty();
        }
        Optional<Path> newest = all.stream().filter(ModelLocator::isModelFolder)
                .max(Comparator.comparing(ModelLocator::modified).thenComparing(Path::toString));
        if (newest.isEmpty() && !all.isEmpty()) {
            Path latest = all.stream().max(Comparator.comparing(ModelLocator::modified)
                    .thenComparing(Path::toString)).orElseThrow();
            throw new ModelFormatException("no complete snapshot in " + snapshots + "; the newest, "
                    + latest.getFileName() + ", is broken: " + problem(latest) + REDOWNLOAD);
        }
        return newest;
    }

    private static final String REDOWNLOAD = " (an interrupted download? run `huggingface-cli download "
            + DEFAULT_REPO + "` again, or pass the model folder)";

    /** What keeps a snapshot folder from being a model folder, or null when it is one. */
    static String problem(Path snapshot) {
        List<String> problems = new ArrayList<>();
        for (String name : List.of("config.json", "model.safetensors")) {
            Path f = snapshot.resolve(name);
            if (Files.isRegularFile(f)) {
                continue;
            }
            if (Files.isSymbolicLink(f)) {
                String target;
                try {
                    target = Files.readSymbolicLink(f).toString();
                } catch (IOException e) {
                    target = "?";
                }
                problems.add(f + " is a dangling link to " + target + " (blob "
                        + f.getParent().resolve(target).normalize() + " is missing)");
            } else {
                problems.add("it has no " + name);
            }
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    /** The Hugging Face revision (commit hash) of a model folder that is a cache snapshot, else null. */
    public static String revisionOf(Path modelFolder) {
        Path parent = modelFolder.toAbsolutePath().normalize().getParent();
        return parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("snapshots")
                ? modelFolder.toAbsolutePath().normalize().getFileName().toString() : null;
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
