package dev.autogaze.audit;

import java.util.List;
import java.util.Map;

/**
 * What an audit found, and what it read.
 *
 * @param findings       in file, then line order
 * @param filesByLanguage source files read per language (zero counts included)
 * @param autogazeFiles  how many of them mention AutoGaze at all
 */
public record AuditReport(List<AuditFinding> findings, Map<SourceLanguage, Integer> filesByLanguage,
                          int autogazeFiles) {

    public AuditReport {
        findings = List.copyOf(findings);
        filesByLanguage = Map.copyOf(filesByLanguage);
    }

    public int filesScanned() {
        return filesByLanguage.values().stream().mapToInt(Integer::intValue).sum();
    }

    public long filesWithFindings() {
        return findings.stream().map(AuditFinding::file).distinct().count();
    }
}
