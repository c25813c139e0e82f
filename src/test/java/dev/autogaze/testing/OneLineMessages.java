package dev.autogaze.testing;

/** What the fuzz tests require of every typed error: a message on one line, of bounded length. */
public final class OneLineMessages {

    private OneLineMessages() {
    }

    public static void check(Exception e) {
        String m = e.getMessage();
        if (m == null || m.isEmpty() || m.chars().anyMatch(c -> c == '\n' || c == '\r') || m.length() > 2000) {
            throw new IllegalStateException("error message is not one bounded line: " + m, e);
        }
    }
}
