package dev.autogaze.audit;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One pattern of raw-token-id reinterpretation: a regular expression over a code line (comments and literals blanked),
 * and what to consume instead.
 *
 * @param id            short name printed with each finding ({@code frame-offset})
 * @param what          what the matched code does, in a few words
 * @param pattern       the code it matches; a named group {@code vocab}, when present, holds the vocabulary term
 * @param autogazeOnly  match only in files that mention AutoGaze (see {@link AuditRules#mentionsAutogaze}), for
 *                      patterns whose general form is common in unrelated code
 * @param instead       the output column or readout call to use instead
 */
public record AuditRule(String id, String what, Pattern pattern, boolean autogazeOnly, String instead) {

    public AuditRule {
        Objects.requireNonNull(id);
        Objects.requireNonNull(what);
        Objects.requireNonNull(pattern);
        Objects.requireNonNull(instead);
    }

    @Override
    public String toString() {
        return id;
    }
}
