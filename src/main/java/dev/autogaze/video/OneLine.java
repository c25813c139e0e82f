package dev.autogaze.video;

/**
 * Text from an untrusted file (a manifest, a model header, a parser's message quoting its bytes) made safe for a
 * one-line error message. In the lowest package, so that every parser of untrusted input can use it.
 */
public final class OneLine {

    /** Longest text kept; longer text ends in "...". */
    public static final int MAX_CHARS = 200;

    private OneLine() {
    }

    /** Control characters as {@code \\uXXXX}, at most {@link #MAX_CHARS} characters. */
    public static String printable(String s) {
        String text = String.valueOf(s);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            if (b.length() >= MAX_CHARS) {
                return b + "...";
            }
            char c = text.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
