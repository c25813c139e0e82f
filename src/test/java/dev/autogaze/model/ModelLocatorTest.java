package dev.autogaze.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelLocatorTest {

    @TempDir
    Path tmp;

    private Path snapshot(Path hub, String revision, long mtime) throws IOException {
        Path snap = Files.createDirectories(hub.resolve("models--nvidia--AutoGaze/snapshots/" + revision));
        Path blobs = Files.createDirectories(hub.resolve("models--nvidia--AutoGaze/blobs"));
        for (String name : new String[] {"config.json", "model.safetensors"}) {
            Path blob = Files.writeString(blobs.resolve(revision + "-" + name), "{}");
            Files.createSymbolicLink(snap.resolve(name), blob);
        }
        Files.setLastModifiedTime(snap, FileTime.fromMillis(mtime));
        return snap;
    }

    @Test
    void refsMainWinsOverANewerSnapshot() throws IOException {
        Path hub = tmp.resolve("hf/hub");
        Path pinned = snapshot(hub, "aaa111", 1_000);
        snapshot(hub, "bbb222", 9_000);
        Files.createDirectories(hub.resolve("models--nvidia--AutoGaze/refs"));
        Files.writeString(hub.resolve("models--nvidia--AutoGaze/refs/main"), "aaa111\n");
        ModelLocator locator = new ModelLocator(Map.of("HF_HOME", tmp.resolve("hf").toString()), tmp.resolve("home"));
        assertEquals(pinned, locator.locate(null));
    }

    @Test
    void withoutRefsTheNewestCompleteSnapshotWins() throws IOException {
        Path hub = tmp.resolve("cache");
        snapshot(hub, "old", 1_000);
        Path newest = snapshot(hub, "new", 5_000);
        Path incomplete = Files.createDirectories(hub.resolve("models--nvidia--AutoGaze/snapshots/partial"));
        Files.writeString(incomplete.resolve("config.json"), "{}");
        Files.setLastModifiedTime(incomplete, FileTime.fromMillis(9_000));
        ModelLocator locator = new ModelLocator(Map.of("HF_HUB_CACHE", hub.toString()), tmp.resolve("home"));
        assertEquals(newest, locator.locate(null));
    }

    @Test
    void homeCacheIsTheLastResortAndHubCacheComesFirst() {
        ModelLocator locator = new ModelLocator(Map.of("HF_HUB_CACHE", "/a/hub", "HF_HOME", "/b",
                "XDG_CACHE_HOME", "/c"), Path.of("/home/u"));
        assertEquals(List.of(Path.of("/a/hub"), Path.of("/b/hub"), Path.of("/c/huggingface/hub"),
                Path.of("/home/u/.cache/huggingface/hub")), locator.cacheRoots());
    }

    @Test
    void explicitModelFolderIsUsedAsIsAndARepoFolderResolvesItsSnapshot() throws IOException {
        Path snap = snapshot(tmp.resolve("hub"), "ccc333", 1_000);
        ModelLocator locator = new ModelLocator(Map.of(), tmp.resolve("home"));
        assertEquals(snap, locator.locate(snap));
        assertEquals(snap, locator.locate(tmp.resolve("hub/models--nvidia--AutoGaze")));
    }

    @Test
    void explicitCacheRootOrItsHubFolderResolvesTheDefaultRepo() throws IOException {
        Path snap = snapshot(tmp.resolve("hf/hub"), "ddd444", 1_000);
        ModelLocator locator = new ModelLocator(Map.of(), tmp.resolve("home"));
        assertEquals(snap, locator.locate(tmp.resolve("hf")));
        assertEquals(snap, locator.locate(tmp.resolve("hf/hub")));
    }

    @Test
    void refsMainNamingASnapshotWithADanglingLinkIsAnErrorNotAFallback() throws IOException {
        Path hub = tmp.resolve("hf/hub");
        snapshot(hub, "aaa111", 1_000);
        snapshot(hub, "bbb222", 9_000);
        Files.delete(hub.resolve("models--nvidia--AutoGaze/blobs/aaa111-model.safetensors"));
        Files.createDirectories(hub.resolve("models--nvidia--AutoGaze/refs"));
        Files.writeString(hub.resolve("models--nvidia--AutoGaze/refs/main"), "aaa111\n");
        ModelLocator locator = new ModelLocator(Map.of("HF_HOME", tmp.resolve("hf").toString()), tmp.resolve("home"));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> locator.locate(null));
        Path repo = hub.resolve("models--nvidia--AutoGaze");
        assertTrue(e.getMessage().startsWith(repo.resolve("refs/main") + " names revision aaa111, whose snapshot is"
                + " broken: " + repo.resolve("snapshots/aaa111/model.safetensors") + " is a dangling link to "
                + repo.resolve("blobs/aaa111-model.safetensors") + " (blob " + repo.resolve("blobs/aaa111-model.safetensors")
                + " is missing)"), e.getMessage());
        assertTrue(e.getMessage().contains("huggingface-cli download nvidia/AutoGaze"), e.getMessage());
    }

    @Test
    void refsMainNamingAMissingSnapshotIsAnError() throws IOException {
        Path hub = tmp.resolve("cache");
        snapshot(hub, "bbb222", 9_000);
        Files.createDirectories(hub.resolve("models--nvidia--AutoGaze/refs"));
        Files.writeString(hub.resolve("models--nvidia--AutoGaze/refs/main"), "ccc333");
        ModelLocator locator = new ModelLocator(Map.of("HF_HUB_CACHE", hub.toString()), tmp.resolve("home"));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> locator.locate(null));
        assertTrue(e.getMessage().contains("names revision 'ccc333' but "
                + hub.resolve("models--nvidia--AutoGaze/snapshots/ccc333") + " does not exist"), e.getMessage());
    }

    @Test
    void withoutRefsAndOnlyBrokenSnapshotsTheNewestIsDescribed() throws IOException {
        Path hub = tmp.resolve("xdg/huggingface/hub");
        snapshot(hub, "only", 1_000);
        Files.delete(hub.resolve("models--nvidia--AutoGaze/blobs/only-config.json"));
        ModelLocator locator = new ModelLocator(Map.of("XDG_CACHE_HOME", tmp.resolve("xdg").toString()),
                tmp.resolve("home"));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> locator.locate(null));
        assertTrue(e.getMessage().startsWith("no complete snapshot in " + hub.resolve("models--nvidia--AutoGaze/snapshots")
                + "; the newest, only, is broken: " + hub.resolve("models--nvidia--AutoGaze/snapshots/only/config.json")
                + " is a dangling link"), e.getMessage());
    }

    @Test
    void theRevisionOfACacheSnapshotIsItsFolderName() throws IOException {
        Path snap = snapshot(tmp.resolve("hub"), "0123abcd", 1_000);
        assertEquals("0123abcd", ModelLocator.revisionOf(snap));
        assertEquals(null, ModelLocator.revisionOf(tmp.resolve("plain-model")));
    }

    @Test
    void missingModelListsEveryPlaceLookedAt() {
        ModelLocator locator = new ModelLocator(Map.of("HF_HOME", tmp.resolve("hf").toString()), tmp.resolve("home"));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> locator.locate(null));
        assertTrue(e.getMessage().contains(tmp.resolve("hf/hub/models--nvidia--AutoGaze").toString()), e.getMessage());
        assertTrue(e.getMessage().contains(tmp.resolve("home/.cache/huggingface/hub/models--nvidia--AutoGaze")
                .toString()), e.getMessage());
    }

    @Test
    void explicitFolderWithoutWeightsIsRejectedNamingIt() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> new ModelLocator(Map.of(), tmp).locate(dir));
        assertTrue(e.getMessage().contains(dir + " has no config.json"), e.getMessage());
    }

    @Test
    void malformedRepoIdIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ModelLocator(Map.of(), tmp).locateCached("AutoGaze"));
        assertTrue(e.getMessage().contains("'AutoGaze'"), e.getMessage());
    }
}
