package dev.autogaze.cli;

import dev.autogaze.audit.AuditCheckouts;
import dev.autogaze.audit.AuditFinding;
import dev.autogaze.audit.AuditReport;
import dev.autogaze.audit.DownstreamAudit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AuditDownstreamCommandTest {

    @Test
    void findingsExitOneAndPrintFileLineRuleCodeAndWhatToUseInstead(@TempDir Path dir) throws Exception {
        Path root = AuditCheckouts.withFindings(dir);
        AuditReport report = DownstreamAudit.standard().scan(root);
        CliRun r = CliRun.of("audit-downstream", root.toString());
        assertEquals(1, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(2 * report.findings().size() + 1, lines.size(), r.out());
        for (int i = 0; i < report.findings().size(); i++) {
            AuditFinding f = report.findings().get(i);
            assertEquals(f.file() + ":" + f.line() + ": " + f.rule().id() + ": " + f.code(), lines.get(2 * i));
            assertEquals("    " + f.rule().what() + "; use instead: " + f.rule().instead(), lines.get(2 * i + 1));
        }
        assertEquals("audit-downstream: " + report.findings().size() + " findings in " + report.filesWithFindings()
                + " of 6 files (3 Rust, "
                + "1 Python, 1 Java, 1 Scala; 4 mention AutoGaze) under " + root, lines.get(lines.size() - 1));
    }

    @Test
    void aCleanCheckoutExitsZero(@TempDir Path dir) throws Exception {
        CliRun r = CliRun.of("audit-downstream", AuditCheckouts.clean(dir).toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("audit-downstream: no findings in 1 files (1 Rust; 0 mention AutoGaze) under " + dir,
                r.out().strip());
    }

    @Test
    void excludeSkipsVendoredCode(@TempDir Path dir) throws Exception {
        Path root = AuditCheckouts.vendored(dir);
        assertEquals(1, CliRun.of("audit-downstream", root.toString()).code());
        assertEquals(0, CliRun.of("audit-downstream", root.toString(), "--exclude", "vendor/**").code());
    }

    @Test
    void aPathThatCannotBeAuditedExitsTwoWithOneLine(@TempDir Path dir) throws Exception {
        CliRun missing = CliRun.of("audit-downstream", dir.resolve("nope").toString());
        assertEquals(2, missing.code());
        assertEquals("autogaze audit-downstream: no such file or directory: " + dir.resolve("nope"), missing.err().strip());
        Files.writeString(dir.resolve("notes.md"), "nothing to read\n");
        CliRun empty = CliRun.of("audit-downstream", dir.toString());
        assertEquals(2, empty.code());
        assertEquals("autogaze audit-downstream: no Rust, Python, Java or Scala source under " + dir, empty.err().strip());
    }
}
