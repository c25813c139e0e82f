package dev.autogaze.testing;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/** Locates the shared reference fixtures; a missing folder fails the calling test, it never skips it. */
public final class Fixtures {

    private Fixtures() {
    }

    /** The `shared/` folder beside the checkout (system property autogaze.shared, set by the build). */
    public static Path shared() {
        String prop = System.getProperty("autogaze.shared");
        Path shared = prop != null ? Path.of(prop) : Path.of("..", "shared");
        if (!Files.isDirectory(shared)) {
            fail("shared folder not found at " + shared.toAbsolutePath()
                    + " (tests need ../shared beside the checkout; set -Dautogaze.shared=...)");
        }
        return shared.toAbsolutePath().normalize();
    }

    /** `shared/fixtures/autogaze/<set>`, which must exist. */
    public static Path autogazeSet(String set) {
        Path dir = shared().resolve("fixtures").resolve("autogaze").resolve(set);
        if (!Files.isDirectory(dir)) {
            fail("fixture set missing: " + dir);
        }
        return dir;
    }

    /** A file under `shared/`, which must exist. */
    public static Path sharedFile(String relative) {
        Path file = shared().resolve(relative);
        if (!Files.isRegularFile(file)) {
            fail("shared file missing: " + file);
        }
        return file;
    }
}
