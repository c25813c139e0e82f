package dev.autogaze.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Polls of a folder that a running job renames things in (staging waves, Spark's task folders): a path that vanishes
 * while the walk passes it means "not there yet", and the next poll sees the new state.
 */
public final class LiveFolders {

    private LiveFolders() {
    }

    /**
     * True when some path under {@code root} (itself included) satisfies {@code match}; false when {@code root} does
     * not exist or a path vanished during the walk. Any other I/O error is thrown.
     */
    public static boolean anyMatch(Path root, Predicate<Path> match) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.anyMatch(match);
        } catch (NoSuchFileException e) {
            return false;
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                return false;
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
