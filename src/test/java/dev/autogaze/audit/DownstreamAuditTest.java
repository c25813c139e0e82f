package dev.autogaze.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DownstreamAuditTest {

    private static TreeSet<String> keys(AuditReport r) {
        return r.findings().stream().map(f -> f.file() + ":" + f.line() + ": " + f.rule().id())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void reportsExactlyTheMarkedLinesInEveryLanguage(@TempDir Path dir) throws Exception {
        AuditReport r = DownstreamAudit.standard().scan(AuditCheckouts.withFindings(dir));
        assertEquals(AuditCheckouts.expected(AuditCheckouts.withFindingsSources()), keys(r));
        // every rule is exercised by the checkout, so a rule that stopped matching fails here
        assertEquals(AuditRules.ALL.stream().map(AuditRule::id).collect(Collectors.toSet()),
                r.findings().stream().map(f -> f.rule().id()).collect(Collectors.toSet()));
    }

    @Test
    void readsOnlyTheCheckoutsOwnSources(@TempDir Path dir) throws Exception {
        AuditReport r = DownstreamAudit.standard().scan(AuditCheckouts.withFindings(dir));
        assertEquals(6, r.filesScanned(), r.filesByLanguage().toString());
        assertEquals(3, r.filesByLanguage().get(SourceLanguage.RUST));
        assertEquals(1, r.filesByLanguage().get(SourceLanguage.PYTHON));
        assertEquals(1, r.filesByLanguage().get(SourceLanguage.JAVA));
        assertEquals(1, r.filesByLanguage().get(SourceLanguage.SCALA));
        // grid.rs and config.rs never name AutoGaze
        assertEquals(4, r.autogazeFiles());
        assertTrue(r.findings().stream().noneMatch(f -> f.file().startsWith("target/") || f.file().startsWith(".")));
    }

    @Test
    void theFindingKeepsTheLineAsWritten(@TempDir Path dir) throws Exception {
        AuditReport r = DownstreamAudit.standard().scan(AuditCheckouts.withFindings(dir));
        AuditFinding f = r.findings().stream().filter(x -> x.file().equals("jvm/src/main/scala/Ids.scala"))
                .findFirst().orElseThrow();
        assertEquals(3, f.line());
        assertEquals("def local(raw: Long, t: Int): Long = raw - t * 265 // expect: frame-offset", f.code());
    }

    @Test
    void genericNamesCountOnlyInFilesAboutAutogaze(@TempDir Path dir) throws Exception {
        Path own = Files.writeString(dir.resolve("grid.rs"), AuditCheckouts.RUST_OWN_GRID);
        assertEquals(List.of(), DownstreamAudit.standard().scan(own).findings());
        // the same lines once the file reads AutoGaze output
        Path aware = Files.writeString(dir.resolve("aware.rs"),
                "use burn_autogaze::AutoGazeGenerateOutput;\n" + AuditCheckouts.RUST_OWN_GRID);
        Set<String> rules = DownstreamAudit.standard().scan(aware).findings().stream()
                .map(f -> f.line() + " " + f.rule().id()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(List.of("4 id-divmod", "5 id-divmod", "9 frame-offset",
                "12 square-grid-guess", "13 scale-table")), rules);
    }

    @Test
    void excludedGlobsAreNotRead(@TempDir Path dir) throws Exception {
        Path root = AuditCheckouts.vendored(dir);
        assertTrue(DownstreamAudit.standard().scan(root).findings().size() > 0);
        AuditReport r = DownstreamAudit.standard().excluding(List.of("vendor/**")).scan(root);
        assertEquals(List.of(), r.findings());
        assertEquals(1, r.filesScanned());
    }

    @Test
    void aMissingPathOrOneWithoutSourcesIsAnError(@TempDir Path dir) throws Exception {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> DownstreamAudit.standard().scan(dir.resolve("nope")));
        assertEquals("no such file or directory: " + dir.resolve("nope"), missing.getMessage());
        Files.writeString(dir.resolve("README.md"), "generated_frame_tokens\n");
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> DownstreamAudit.standard().scan(dir));
        assertEquals("no Rust, Python, Java or Scala source under " + dir, empty.getMessage());
    }
}
