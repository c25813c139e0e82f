package dev.autogaze.video;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A small RFC 4180 CSV reader for manifests: quoted fields with embedded commas, quotes ({@code ""}) and line
 * breaks, CRLF or LF endings, a header row, and every row as wide as the header (else an error naming the row).
 *
 * @param header column names from the first row
 * @param rows   data rows, each with header.size() fields
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
                throw new IOException(source + " line " + line + ": unexpected character '" + ch
                        + "' after a closing quote");
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
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).length != header.size()) {
                throw new IOException(source + " data row " + (i + 1) + " has " + rows.get(i).length
                        + " fields, the header has " + header.size());
            }
        }
        return new CsvTable(header, rows);
    }
}
