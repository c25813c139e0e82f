package dev.autogaze.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Scans a training checkout (Rust, Python, Java, Scala) for code that reinterprets raw AutoGaze token ids instead of
 * consuming this project's coordinates, rectangles or readout calls ({@link AuditRules}). Pure: reads files,
 * returns an {@link AuditReport}; the CLI prints it.
 */
public final class DownstreamAudit {

    /** Build output, dependencies and virtual environments: not the checkout's own code. */
    static final Set<String> SKIPPED_DIRS = Set.of("target", "node_modules", "build", "dist", "venv",
            "__pycache__", "site-packages");

    private final List<AuditRule> rules;
    private final List<PathMatcher> excludes;

    private DownstreamAudit(List<AuditRule> rules, List<PathMatcher> excludes) {
        this.rules = List.copyOf(rules);
        this.excludes = List.copyOf(excludes);
    }

    /** The audit with every rule of {@link AuditRules#ALL}. */
    public static DownstreamAudit standard() {
        return new DownstreamAudit(AuditRules.ALL, List.of());
    }

    /** Also skips paths relative to the root ("/"-separated) that match any of these globs ({@code vendor/**}). */
    public DownstreamAudit excluding(List<String> globs) {
        List<PathMatcher> m = new ArrayList<>(excludes);
        for (String g : globs) {
            m.add(FileSystems.getDefault().getPathMatcher("glob:" + g));
        }
        return new DownstreamAudit(rules, m);
    }

    /**
     * Audits {@code root}: a directory (walked, hidden and build directories skipped, links not followed) or one
     * source file. A missing path or one with no source file of the four languages is an IllegalArgumentException.
     */
    public AuditReport scan(Path root) throws IOException {
        if (!Files.exists(root)) {
            throw new IllegalArgumentException("no such file or directory: " + root);
        }
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(root)) {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                    boolean skip = !dir.equals(root) && (name.startsWith(".") || SKIPPED_DIRS.contains(name)
                            || excluded(root.relativize(dir)));
                    return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && SourceLanguage.of(file).isPresent()
                            && !excluded(root.relativize(file))) {
                        files.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } else if (SourceLanguage.of(root).isPresent()) {
            files.add(root);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no Rust, Python, Java or Scala source under " + root);
        }
        files.sort(Comparator.comparing(p -> relative(root, p)));
        Map<SourceLanguage, Integer> counts = new EnumMap<>(SourceLanguage.class);
        for (SourceLanguage l : SourceLanguage.values()) {
            counts.put(l, 0);
        }
        List<AuditFinding> findings = new ArrayList<>();
        int autogazeFiles = 0;
        for (Path f : files) {
            SourceLanguage language = SourceLanguage.of(f).orElseThrow();
            counts.merge(language, 1, Integer::sum);
            String source = read(f);
            boolean autogaze = AuditRules.mentionsAutogaze(source);
            autogazeFiles += autogaze ? 1 : 0;
            findings.addAll(scanSource(relative(root, f), source, language, autogaze));
        }
        return new AuditReport(findings, counts, autogazeFiles);
    }

    /** The findings in one file's text (at most one per rule and line). */
    List<AuditFinding> scanSource(String name, String source, SourceLanguage language, boolean autogazeFile) {
        String[] code = CodeText.codeOnly(source, language).split("\n", -1);
        String[] lines = source.split("\n", -1);
        List<AuditFinding> out = new ArrayList<>();
        for (int i = 0; i < code.length; i++) {
            for (AuditRule rule : rules) {
                Matcher m = rule.pattern().matcher(code[i]);
                while (m.find()) {
                    if (AuditRules.counts(rule, m, autogazeFile)) {
                        out.add(new AuditFinding(name, i + 1, rule, lines[i].strip()));
                        break;
                    }
                }
            }
        }
        return out;
    }

    private boolean excluded(Path relative) {
        for (PathMatcher m : excludes) {
            if (m.matches(relative)) {
                return true;
            }
        }
        return false;
    }

    private static String relative(Path root, Path file) {
        Path r = file.equals(root) ? file.getFileName() : root.relativize(file);
        return r.toString().replace('\\', '/');
    }

    /** UTF-8, with malformed bytes replaced: a stray Latin-1 byte in a comment is no reason to stop the audit. */
    private static String read(Path file) throws IOException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                .toString();
    }
}
