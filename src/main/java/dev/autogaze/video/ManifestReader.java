package dev.autogaze.video;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.GroupType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a dataset manifest (CSV, JSON Lines or Parquet, by extension) into rows of named string values, in file
 * and column order; {@link VideoDataset} turns rows into {@link VideoRef}s. A row that cannot be read (a CSV row
 * of the wrong width, a JSON line that is not an object) comes back with its problem instead of failing the file.
 * No SparkSession needed.
 */
final class ManifestReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ManifestReader() {
    }

    enum Format { CSV, JSONL, PARQUET }

    /**
     * One row: {@code where} names it in messages ("row 3" of a CSV or Parquet file, "line 3" of JSON Lines);
     * {@code problem} is null for a readable row, else why its values are not usable.
     */
    record Row(String where, Map<String, String> values, String problem) {
    }

    static Format formatOf(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".csv")) {
            return Format.CSV;
        }
        if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson") || lower.endsWith(".json")) {
            return Format.JSONL;
        }
        if (lower.endsWith(".parquet")) {
            return Format.PARQUET;
        }
        return null;
    }

    static List<Row> readRows(Path path, Configuration conf) throws IOException {
        Format format = formatOf(path.getName());
        if (format == null) {
            throw new IOException("manifest " + path + " must end in .csv, .jsonl, .ndjson, .json or .parquet");
        }
        if (format == Format.PARQUET) {
            return parquet(path, conf);
        }
        FileSystem fs = path.getFileSystem(conf);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(path), StandardCharsets.UTF_8))) {
            return readText(format, in, path.toString());
        }
    }

    /** The rows of a CSV or JSON Lines manifest's text; {@code source} names it in messages. */
    static List<Row> readText(Format format, BufferedReader in, String source) throws IOException {
        return switch (format) {
            case CSV -> csv(in, source);
            case JSONL -> jsonLines(in, source);
            case PARQUET -> throw new IllegalArgumentException("a Parquet manifest is not text: " + source);
        };
    }

    private static List<Row> csv(BufferedReader in, String source) throws IOException {
        CsvTable table = CsvTable.read(in, source);
        List<Row> rows = new ArrayList<>(table.rows().size());
        for (int n = 0; n < table.rows().size(); n++) {
            String[] r = table.rows().get(n);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < Math.min(r.length, table.header().size()); i++) {
                row.put(table.header().get(i).trim(), r[i]);
            }
            rows.add(new Row("row " + (n + 1), row, table.rowProblem(n)));
        }
        return rows;
    }

    private static List<Row> jsonLines(BufferedReader in, String source) throws IOException {
        List<Row> rows = new ArrayList<>();
        int lineNo = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            String where = "line " + lineNo;
            try {
                node = JSON.readTree(line);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                rows.add(new Row(where, Map.of(), "is not valid JSON: " + OneLine.printable(e.getOriginalMessage())));
                continue;
            }
            if (node == null || !node.isObject()) {
                rows.add(new Row(where, Map.of(), "is not a JSON object"));
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                row.put(e.getKey(), v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString());
            }
            rows.add(new Row(where, row, null));
        }
        return rows;
    }

    /** The type of each top-level column of a Parquet manifest, from its footer. */
    static Map<String, ColumnType> parquetTypes(Path path, Configuration conf) throws IOException {
        Map<String, ColumnType> types = new LinkedHashMap<>();
        try (org.apache.parquet.hadoop.ParquetFileReader r = org.apache.parquet.hadoop.ParquetFileReader.open(
                org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(path, conf))) {
            r.getFooter().getFileMetaData().getSchema().getFields().forEach(f -> types.put(f.getName(), ColumnType.of(f)));
        }
        return types;
    }

    private static List<Row> parquet(Path path, Configuration conf) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), path).withConf(conf).build()) {
            for (Group g = reader.read(); g != null; g = reader.read()) {
                GroupType type = g.getType();
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < type.getFieldCount(); i++) {
                    String value = null;
                    if (g.getFieldRepetitionCount(i) > 0) {
                        value = type.getType(i).isPrimitive() ? g.getValueToString(i, 0) : g.getGroup(i, 0).toString();
                    }
                    row.put(type.getFieldName(i), value);
                }
                rows.add(new Row("row " + (rows.size() + 1), row, null));
            }
        }
        return rows;
    }
}
