package dev.autogaze.audit;

/**
 * A source file with its comments and the contents of its string and character literals blanked to spaces, lines
 * kept, so that the audit's patterns match code only: a test that asserts {@code !src.contains("fn
 * generated_frame_tokens")} or a comment naming a pattern is not a finding. A light lexer, not a parser: it knows
 * each language's comments, quotes, escapes, Rust raw strings and lifetimes, Python prefixes and triple quotes.
 */
final class CodeText {

    private final String source;
    private final SourceLanguage language;
    private final char[] out;
    private int i;

    private CodeText(String source, SourceLanguage language) {
        this.source = source;
        this.language = language;
        this.out = source.toCharArray();
    }

    /** {@code source} with comments and literal contents replaced by spaces (newlines kept, so line numbers hold). */
    static String codeOnly(String source, SourceLanguage language) {
        CodeText t = new CodeText(source, language);
        t.scan();
        return new String(t.out);
    }

    private void scan() {
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith(language.lineComment(), i)) {
                blankUntilLineEnd();
            } else if (language.blockComments() && source.startsWith("/*", i)) {
                blockComment();
            } else if (language == SourceLanguage.PYTHON && (c == '"' || c == '\'' || pythonPrefix())) {
                pythonString();
            } else if (language == SourceLanguage.RUST && rawString()) {
                // consumed
            } else if (c == '"') {
                if (language != SourceLanguage.RUST && source.startsWith("\"\"\"", i)) {
                    tripleQuoted("\"\"\"", language == SourceLanguage.JAVA);
                } else {
                    quoted('"');
                }
            } else if (c == '\'') {
                charLiteral();
            } else {
                i++;
            }
        }
    }

    private void blank(int from, int to) {
        for (int k = from; k < to && k < out.length; k++) {
            if (out[k] != '\n' && out[k] != '\r') {
                out[k] = ' ';
            }
        }
    }

    private void blankUntilLineEnd() {
        int end = source.indexOf('\n', i);
        end = end < 0 ? source.length() : end;
        blank(i, end);
        i = end;
    }

    /** Rust block comments nest; Java's and Scala's do not (Scala's do, but a nested one is rare enough). */
    private void blockComment() {
        int start = i;
        int depth = 0;
        boolean nests = language != SourceLanguage.JAVA;
        while (i < source.length()) {
            if (source.startsWith("/*", i) && (depth == 0 || nests)) {
                depth++;
                i += 2;
            } else if (source.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    break;
                }
            } else {
                i++;
            }
        }
        blank(start, i);
    }

    /** A "..." or '...' literal with backslash escapes; the quotes stay, the contents go. */
    private void quoted(char quote) {
        int start = ++i;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote) {
                break;
            } else if (c == '\n' && language == SourceLanguage.PYTHON) {
                break; // an unterminated single-line string: stop at the line end rather than eat the file
            } else {
                i++;
            }
        }
        blank(start, Math.min(i, source.length()));
        i++;
    }

    private void tripleQuoted(String quotes, boolean escapes) {
        int start = i + quotes.length();
        i = start;
        while (i < source.length() && !source.startsWith(quotes, i)) {
            i += escapes && source.charAt(i) == '\\' ? 2 : 1;
        }
        blank(start, Math.min(i, source.length()));
        i += quotes.length();
    }

    /** A char literal ('x', a backslash escape, a surrogate pair); otherwise (a Rust lifetime or label) it is code. */
    private void charLiteral() {
        int n = source.length();
        int end;
        if (i + 1 < n && source.charAt(i + 1) == '\\') {
            end = source.indexOf('\'', i + 3); // the escape is at least two characters ('\'' included)
            if (end < 0 || end - i > 12 || source.substring(i, end).indexOf('\n') >= 0) {
                i++;
                return;
            }
        } else if (i + 2 < n && source.charAt(i + 2) == '\'' && source.charAt(i + 1) != '\n') {
            end = i + 2;
        } else if (i + 3 < n && Character.isSurrogate(source.charAt(i + 1)) && source.charAt(i + 3) == '\'') {
            end = i + 3;
        } else {
            i++;
            return;
        }
        blank(i + 1, end);
        i = end + 1;
    }

    /** Rust r"...", r#"..."#, br"...": no escapes inside; the closing quote needs as many #. */
    private boolean rawString() {
        int k = i;
        if (k < source.length() && source.charAt(k) == 'b') {
            k++;
        }
        if (k >= source.length() || source.charAt(k) != 'r' || (i > 0 && isIdent(source.charAt(i - 1)))) {
            return false;
        }
        k++;
        int hashes = 0;
        while (k < source.length() && source.charAt(k) == '#') {
            hashes++;
            k++;
        }
        if (k >= source.length() || source.charAt(k) != '"') {
            return false;
        }
        String close = "\"" + "#".repeat(hashes);
        int end = source.indexOf(close, k + 1);
        end = end < 0 ? source.length() : end;
        blank(k + 1, end);
        i = Math.min(source.length(), end + close.length());
        return true;
    }

    /** Python string prefixes (r, b, f, u, rb, br, fr, rf in any case) directly before a quote. */
    private boolean pythonPrefix() {
        if (i > 0 && isIdent(source.charAt(i - 1))) {
            return false;
        }
        int k = i;
        while (k < source.length() && k - i < 2 && "rRbBfFuU".indexOf(source.charAt(k)) >= 0) {
            k++;
        }
        return k > i && k < source.length() && (source.charAt(k) == '"' || source.charAt(k) == '\'');
    }

    private void pythonString() {
        boolean raw = false;
        while ("rRbBfFuU".indexOf(source.charAt(i)) >= 0) {
            raw |= source.charAt(i) == 'r' || source.charAt(i) == 'R';
            i++;
        }
        char q = source.charAt(i);
        String triple = String.valueOf(q).repeat(3);
        if (source.startsWith(triple, i)) {
            tripleQuoted(triple, !raw);
        } else {
            quoted(q);
        }
    }

    private static boolean isIdent(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
