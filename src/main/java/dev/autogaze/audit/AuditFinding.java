package dev.autogaze.audit;

/**
 * One match: where, which rule, the code line as written.
 *
 * @param file relative to the audited root ("/"-separated), or the file's name when a single file was audited
 * @param line 1-based
 */
public record AuditFinding(String file, int line, AuditRule rule, String code) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + rule.id() + ": " + code;
    }
}
