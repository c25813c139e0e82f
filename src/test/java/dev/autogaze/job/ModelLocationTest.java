package dev.autogaze.job;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelLocationTest {

    @Test
    void aModelDirectoryIsItself() throws Exception {
        Path dir = Files.createTempDirectory("model");
        Files.writeString(dir.resolve("config.json"), "{}");
        assertEquals(dir, ModelLocation.resolve(dir));
    }

    @Test
    void aHuggingFaceCacheRootResolvesToTheSnapshotOfRefsMain() throws Exception {
        Path home = Files.createTempDirectory("hf");
        Path repo = home.resolve("hub/models--nvidia--AutoGaze");
        Files.createDirectories(repo.resolve("snapshots/aaa"));
        Files.createDirectories(repo.resolve("snapshots/bbb"));
        Files.writeString(repo.resolve("snapshots/bbb/config.json"), "{}");
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), "bbb\n");
        assertEquals(repo.resolve("snapshots/bbb"), ModelLocation.resolve(home));
        assertEquals(repo.resolve("snapshots/bbb"), ModelLocation.resolve(home.resolve("hub")));
    }

    @Test
    void twoSnapshotsWithoutRefsMainAreAnError() throws Exception {
        Path hub = Files.createTempDirectory("hub");
        Files.createDirectories(hub.resolve("models--nvidia--AutoGaze/snapshots/aaa"));
        Files.createDirectories(hub.resolve("models--nvidia--AutoGaze/snapshots/bbb"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelLocation.resolve(hub));
        assertTrue(e.getMessage().contains("has 2 snapshots and no refs/main"), e.getMessage());
    }

    @Test
    void aDirectoryWithNeitherIsNamedInTheError() throws Exception {
        Path empty = Files.createTempDirectory("empty");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelLocation.resolve(empty));
        assertTrue(e.getMessage().startsWith("--model " + empty + " holds neither config.json nor"), e.getMessage());
    }
}
