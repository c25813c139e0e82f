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
 * {@code ~/.cache/huggingface/hub}. In a root, {@code models--<owner>--<name>/refs/main} names the snapshot to use;
 * without it (or when that snapshot is incomplete) the most recently modified complete snapshot wins.
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

    /** refs/main's snapshot when complete, else the newest complete snapshot. */
    static Optional<Path> snapshotIn(Path repo) {
        Path snapshots = repo.resolve("snapshots");
        if (!Files.isDirectory(snapshots)) {
            return Optional.empty();
        }
        Path ref = repo.resolve("refs").resolve("main");
        if (Files.isRegularFile(ref)) {
            try {
                String revision = Files.readString(ref).trim();
                if (!revision.isEmpty() && !revision.contains("/") && isModelFolder(snapshots.resolve(revision))) {
                    return Optional.of(snapshots.resolve(revision));
                }
            } catch (IOException e) {
                // An unreadable ref falls back to the newest snapshot.
            }
        }
        try (Stream<Path> list = Files.list(snapshots)) {
            return list.filter(ModelLocator::isModelFolder)
                    .max(Comparator.comparing(ModelLocator::modified).thenComparing(Path::toString));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
