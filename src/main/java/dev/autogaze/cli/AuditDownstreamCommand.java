package dev.autogaze.cli;

import dev.autogaze.audit.AuditFinding;
import dev.autogaze.audit.AuditReport;
import dev.autogaze.audit.DownstreamAudit;
import dev.autogaze.audit.SourceLanguage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** The integration guide's downstream audit as a command: exit 0 clean, 1 with findings, 2 when it cannot run. */
@Command(name = "audit-downstream", mixinStandardHelpOptions = true,
        description = {"Scan a training checkout (Rust, Python, Java, Scala) for code that reinterprets raw AutoGaze "
                + "token ids (frame offsets t*N, id div/mod N, square grids from N, scale tables, the integration "
                + "guide's generated_frame_tokens / context_mask_from_autogaze_generated) instead of consuming "
                + "coordinates, rectangles or readout calls.",
                "Exit codes: 0 no findings, 1 findings, 2 error."})
public final class AuditDownstreamCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PATH", description = "A checkout directory or one source file.")
    Path path;

    @Option(names = "--exclude", paramLabel = "GLOB",
            description = "Skip paths matching this glob, relative to PATH (repeatable), e.g. 'vendor/**'.")
    List<String> excludes = new ArrayList<>();

    @Override
    public Integer call() {
        AuditReport report;
        try {
            report = DownstreamAudit.standard().excluding(excludes).scan(path);
        } catch (IOException e) {
            System.err.println("autogaze audit-downstream: cannot read " + e.getMessage());
            return 2;
        }
        PrintStream out = System.out;
        for (AuditFinding f : report.findings()) {
            out.printf("%s:%d: %s: %s%n", f.file(), f.line(), f.rule().id(), shorten(f.code()));
            out.printf("    %s; use instead: %s%n", f.rule().what(), f.rule().instead());
        }
        List<String> languages = new ArrayList<>();
        for (SourceLanguage l : SourceLanguage.values()) {
            int n = report.filesByLanguage().get(l);
            if (n > 0) {
                languages.add(n + " " + l.displayName());
            }
        }
        String read = report.filesScanned() + " files (" + String.join(", ", languages) + "; "
                + report.autogazeFiles() + " mention AutoGaze) under " + path;
        if (report.findings().isEmpty()) {
            out.println("audit-downstream: no findings in " + read);
            return 0;
        }
        out.printf("audit-downstream: %d findings in %d of %s%n", report.findings().size(),
                report.filesWithFindings(), read);
        return 1;
    }

    private static String shorten(String code) {
        return code.length() <= 140 ? code : code.substring(0, 137) + "...";
    }
}
