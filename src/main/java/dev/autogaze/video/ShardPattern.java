package dev.autogaze.video;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Brace expansion of shard lists as webdataset loaders write them: {@code shards/{00000..00099}.tar} (a numeric
 * range, zero-padded to the width of its first bound) and {@code shards/{train,val}-0.tar} (alternatives), nested or
 * side by side. Hadoop's glob knows alternatives but not ranges, so ranges are expanded here; the result is a list
 * of plain paths or globs, in the order the pattern writes them.
 */
public final class ShardPattern {

    /** More paths than this from one pattern is surely a typo ({@code {0..99999999}}). */
    public static final int MAX_PATHS = 1_000_000;

    private ShardPattern() {
    }

    /** True when {@code input} holds a brace (a group, or half of one that {@link #expand} reports). */
    public static boolean hasBraces(String input) {
        return input.indexOf('{') >= 0 || input.indexOf('}') >= 0;
    }

    /** Every path the pattern names, in order; an unbalanced brace or a bad range is an error naming it. */
    public static List<String> expand(String pattern) {
        List<String> out = new ArrayList<>();
        expandInto(pattern, pattern, out);
        return out;
    }

    private static void expandInto(String s, String whole, List<String> out) {
        int open = s.indexOf('{');
        if (open < 0) {
            if (s.indexOf('}') >= 0) {
                throw new IllegalArgumentException("shard pattern " + whole + " has a '}' without its '{'");
            }
            add(out, s, whole);
            return;
        }
        int close = matching(s, open, whole);
        String head = s.substring(0, open);
        String tail = s.substring(close + 1);
        for (String alt : alternatives(s.substring(open + 1, close), whole)) {
            expandInto(head + alt + tail, whole, out);
        }
    }

    private static int matching(String s, int open, String whole) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            if (s.charAt(i) == '{') {
                depth++;
            } else if (s.charAt(i) == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("shard pattern " + whole + " has a '{' that is never closed");
    }

    /** The choices of one brace group: a range {@code a..b}, or a comma list (whose items may hold braces). */
    private static List<String> alternatives(String body, String whole) {
        if (body.matches("-?\\d+\\.\\.-?\\d+")) {
            int dots = body.indexOf("..");
            String from = body.substring(0, dots);
            String to = body.substring(dots + 2);
            long a = Long.parseLong(from);
            long b = Long.parseLong(to);
            if (b < a) {
                throw new IllegalArgumentException("shard pattern " + whole + ": range {" + body + "} runs backwards");
            }
            if (b - a >= MAX_PATHS) {
                throw new IllegalArgumentException("shard pattern " + whole + ": range {" + body + "} names more than "
                        + MAX_PATHS + " shards");
            }
            int width = from.startsWith("0") || from.startsWith("-0") ? from.replace("-", "").length() : 0;
            List<String> r = new ArrayList<>();
            for (long v = a; v <= b; v++) {
                r.add(width > 0 ? String.format(Locale.ROOT, "%0" + width + "d", v) : Long.toString(v));
            }
            return r;
        }
        // Split on the commas of this level only: {a,{b,c}} has two items.
        List<String> items = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                items.add(body.substring(start, i));
                start = i + 1;
            }
        }
        items.add(body.substring(start));
        if (items.size() == 1 && !hasBraces(body)) {
            throw new IllegalArgumentException("shard pattern " + whole + ": {" + body + "} is neither a range {a..b}"
                    + " nor a list {a,b}");
        }
        List<String> r = new ArrayList<>();
        for (String item : items) {
            expandInto(item, whole, r);
        }
        return r;
    }

    private static void add(List<String> out, String s, String whole) {
        if (out.size() >= MAX_PATHS) {
            throw new IllegalArgumentException("shard pattern " + whole + " names more than " + MAX_PATHS + " shards");
        }
        out.add(s);
    }
}
