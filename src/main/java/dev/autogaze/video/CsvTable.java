package dev.autogaze.video;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A small RFC 4180 CSV reader for manifests: quoted fields with embedded commas, quotes ({@code ""}) and line
 * breaks, CRLF or LF endings and a header row. A data row of another width is kept and named by
 * {@link #rowProblem}, so that one bad row costs that row, not the whole manifest.
 *
 * @param header column names from the first row
 * @param rows   data rows, as read
 */
record CsvTable(List<String> header, List<String[]> rows) {

    static CsvTable read(Reader in, String source) throws IOException {
        List<String[]> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStarted = false;
        boolean afterQuote = false;
        int line = 1;
        int quoteLine = 0;
        int c = in.read();
        if (c == '\uFEFF') {
            c = in.read();
        }
        for (; c != -1; c = in.read()) {
            char ch = (char) c;
            if (quoted) {
                if (ch == '"') {
                    int next = in.read();
                    if (next == '"') {
                        field.append('"');
                        continue;
                    }
                    quoted = false;
                    afterQuote = true;
                    if (next == -1) {
                        break;
                    }
                    ch = (char) next;
                } else {
                    if (ch == '\n') {
                        line++;
                    }
                    field.append(ch);
                    continue;
                }
            }
            if (ch == ',') {
                fields.add(field.toString());
                field.setLength(0);
                fieldStarted = true;
                afterQuote = false;
            } else if (ch == '\n' || ch == '\r') {
                if (fieldStarted || field.length() > 0 || afterQuote) {
                    fields.add(field.toString());
                    records.add(fields.toArray(new String[0]));
                }
                fields.clear();
                field.setLength(0);
                fieldStarted = false;
                afterQuote = false;
                if (ch == '\n') {
                    line++;
                }
            } else if (ch == '"' && field.length() == 0 && !afterQuote) {
                quoted = true;
                quoteLine = line;
                fieldStarted = true;
            } else if (afterQuote) {
                throw new IOException(source + " line " + line + ": unexpected character '"
                        + OneLine.printable(String.valueOf(ch)) + "' after a closing quote");
            } else {
                field.append(ch);
                fieldStarted = true;
            }
        }
        if (quoted) {
            throw new IOException(source + ": a quoted field opened on line " + quoteLine + " is never closed");
        }
        if (fieldStarted || field.length() > 0 || afterQuote) {
            fields.add(field.toString());
            records.add(fields.toArray(new String[0]));
        }
        if (records.isEmpty()) {
            throw new IOException(source + " is empty: a CSV manifest needs a header row");
        }
        List<String> header = List.of(records.get(0));
        List<String[]> rows = new ArrayList<>(records.subList(1, records.size()));
        return new CsvTable(header, rows);
    }

    /** Why data row {@code i} (0-based) cannot be read as a record of the header's columns, or null. */
    String rowProblem(int i) {
        int n = rows.get(i).length;
        return n == header.size() ? null : "has " + n + " fields, the header has "
                + header.size();
    }
}
