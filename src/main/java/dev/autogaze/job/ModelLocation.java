package dev.autogaze.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where `--model` points: a model directory (config.json + weights) or a Hugging Face cache root holding
 * nvidia/AutoGaze. The driver needs the directory before Spark starts, to validate it and to hash its files into
 * the configuration hash. (When dev.autogaze.model offers its own locator, delegate to it here.)
 */
public final class ModelLocation {

    /** The Hugging Face cache entry of the released model. */
    public static final String HF_REPO_DIR = "models--nvidia--AutoGaze";

    private ModelLocation() {
    }

    /** The model directory: {@code path} itself if it holds config.json, else the cache's snapshot of refs/main. */
    public static Path resolve(Path path) {
        if (Files.isRegularFile(path.resolve("config.json"))) {
            return path;
        }
        for (Path root : List.of(path, path.resolve("hub"))) {
            Path repo = root.resolve(HF_REPO_DIR);
            if (Files.isDirectory(repo)) {
                return snapshot(path, repo);
            }
        }
        throw new IllegalArgumentException("--model " + path + " holds neither config.json nor a Hugging Face cache"
                + " entry " + HF_REPO_DIR + " (looked in " + path + " and " + path.resolve("hub") + ")");
    }

    private static Path snapshot(Path given, Path repo) {
        Path snapshots = repo.resolve("snapshots");
        try {
            Path ref = repo.resolve("refs/main");
            Path dir;
            if (Files.isRegularFile(ref)) {
                dir = snapshots.resolve(Files.readString(ref).strip());
            } else {
                try (Stream<Path> s = Files.list(snapshots)) {
                    List<Path> all = s.filter(Files::isDirectory).toList();
                    if (all.size() != 1) {
                        throw new IllegalArgumentException("--model " + given + ": " + snapshots + " has " + all.size()
                                + " snapshots and no refs/main to choose one; pass the snapshot directory itself");
                    }
                    dir = all.get(0);
                }
            }
            if (!Files.isRegularFile(dir.resolve("config.json"))) {
                throw new IllegalArgumentException("--model " + given + ": snapshot " + dir + " has no config.json");
            }
            return dir;
        } catch (IOException e) {
            throw new IllegalArgumentException("--model " + given + ": cannot read " + repo + ": " + e.getMessage(), e);
        }
    }
}
