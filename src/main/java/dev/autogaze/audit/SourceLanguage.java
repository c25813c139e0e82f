package dev.autogaze.audit;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The languages of a training checkout the audit reads, told apart by file extension, with their comment syntax. */
public enum SourceLanguage {
    RUST("Rust", "//", true, ".rs"),
    PYTHON("Python", "#", false, ".py"),
    JAVA("Java", "//", true, ".java"),
    SCALA("Scala", "//", true, ".scala", ".sc");

    private final String displayName;
    private final String lineComment;
    private final boolean blockComments;
    private final String[] extensions;

    SourceLanguage(String displayName, String lineComment, boolean blockComments, String... extensions) {
        this.displayName = displayName;
        this.lineComment = lineComment;
        this.blockComments = blockComments;
        this.extensions = extensions;
    }

    public String displayName() {
        return displayName;
    }

    String lineComment() {
        return lineComment;
    }

    boolean blockComments() {
        return blockComments;
    }

    /** The language of {@code file} by its extension, or empty for any other file. */
    public static Optional<SourceLanguage> of(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        for (SourceLanguage l : values()) {
            for (String ext : l.extensions) {
                if (name.endsWith(ext)) {
                    return Optional.of(l);
                }
            }
        }
        return Optional.empty();
    }
}
