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
 * and column order; {@link Manifest} turns rows into {@link VideoRef}s. No SparkSession needed.
 */
final class ManifestReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ManifestReader() {
    }

    enum Format { CSV, JSONL, PARQUET }

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

    static List<Map<String, String>> readRows(Path path, Configuration conf) throws IOException {
        Format format = formatOf(path.getName());
        if (format == null) {
            throw new IOException("manifest " + path + " must end in .csv, .jsonl, .ndjson, .json or .parquet");
        }
        return switch (format) {
            case CSV -> csv(path, conf);
            case JSONL -> jsonLines(path, conf);
            case PARQUET -> parquet(path, conf);
        };
    }

    private static List<Map<String, String>> csv(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        CsvTable table;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(path), StandardCharsets.UTF_8))) {
            table = CsvTable.read(in, path.toString());
        }
        List<Map<String, String>> rows = new ArrayList<>(table.rows().size());
        for (String[] r : table.rows()) {
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < r.length; i++) {
                row.put(table.header().get(i).trim(), r[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<Map<String, String>> jsonLines(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        List<Map<String, String>> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(path), StandardCharsets.UTF_8))) {
            int lineNo = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IOException(path + " line " + lineNo + " is not valid JSON: " + e.getOriginalMessage(), e);
                }
                if (node == null || !node.isObject()) {
                    throw new IOException(path + " line " + lineNo + " is not a JSON object");
                }
                Map<String, String> row = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode v = e.getValue();
                    row.put(e.getKey(), v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString());
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static List<Map<String, String>> parquet(Path path, Configuration conf) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
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
                rows.add(row);
            }
        }
        return rows;
    }
}
