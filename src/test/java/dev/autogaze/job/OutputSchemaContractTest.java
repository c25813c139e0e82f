package dev.autogaze.job;

import dev.autogaze.io.OutputSchema;
import dev.autogaze.video.SampleVideos;
import dev.autogaze.video.VideoDataset;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One schema, four places: the Spark {@link OutputSchema}, the Parquet files the job writes (read with
 * parquet-hadoop; a fresh run and the sample output the Python tests read), the Python tests' clip_tables.py and
 * docs/output-schema.md must agree column by column: name, position, type and nullability.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OutputSchemaContractTest {

    /** The committed job output the Python tests read. */
    static final Path SAMPLE_CLIPS = Path.of("src/test/python/data/job-output/clips/part-00000.zstd.parquet");

    /**
     * A column in one vocabulary for all sources: int32, string, float, double, list&lt;T&gt; (non-null elements;
     * "list&lt;T?&gt;" otherwise), map&lt;K,V&gt;.
     */
    record Column(String name, String type, boolean nullable) {
        @Override
        public String toString() {
            return name + " " + type + (nullable ? " (nullable)" : "");
        }
    }

    @TempDir
    Path dir;

    @Test
    void sparkSchemaWrittenParquetPythonTablesAndDocsAgreeColumnByColumn() throws Exception {
        List<Column> clips = fromSpark(OutputSchema.CLIPS);
        List<Column> errors = fromSpark(OutputSchema.ERRORS);
        Path out = runJob();

        assertSameColumns(clips, fromParquet(onePartFile(out.resolve(OutputSchema.CLIPS_DIR))), "clips the job wrote");
        assertSameColumns(errors, fromParquet(onePartFile(out.resolve(OutputSchema.ERRORS_DIR))),
                "errors the job wrote");
        assertSameColumns(clips, fromParquet(SAMPLE_CLIPS), SAMPLE_CLIPS.toString());
        assertSameColumns(clips, fromPython(), "src/test/python/clip_tables.py SCHEMA");
        String docs = Files.readString(Path.of("docs/output-schema.md"));
        assertTrue(docs.startsWith("# Output schema (schema_version " + OutputSchema.VERSION + ")"),
                "docs/output-schema.md names the version it describes");
        assertSameColumns(clips, fromDocs(docs, "## The clips table"), "docs/output-schema.md, the clips table");
        assertSameColumns(errors, fromDocs(docs, "## The errors table"), "docs/output-schema.md, the errors table");
    }

    /** The vocabulary itself: a wrong type or nullability in any source must show up as a difference. */
    @Test
    void columnsDifferingOnlyInTypeOrNullabilityAreTold() {
        StructType one = new StructType().add("a", DataTypes.createArrayType(DataTypes.IntegerType, false), false);
        StructType elements = new StructType().add("a", DataTypes.createArrayType(DataTypes.IntegerType, true), false);
        StructType nullable = new StructType().add("a", DataTypes.createArrayType(DataTypes.IntegerType, false), true);
        StructType longs = new StructType().add("a", DataTypes.createArrayType(DataTypes.LongType, false), false);
        assertEquals(List.of(new Column("a", "list<int32>", false)), fromSpark(one));
        assertEquals(List.of(new Column("a", "list<int32?>", false)), fromSpark(elements));
        assertEquals(List.of(new Column("a", "list<int32>", true)), fromSpark(nullable));
        assertEquals(List.of(new Column("a", "list<int64>", false)), fromSpark(longs));
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> assertSameColumns(fromSpark(one), fromSpark(elements), "x"));
        assertTrue(e.getMessage().contains("column 0 (a) in x"), e.getMessage());
    }

    /** One small video and one file that is not a video (an error row), patch-diff, one partition. */
    private Path runJob() throws Exception {
        Path videos = dir.resolve("videos");
        Files.createDirectories(videos);
        SampleVideos.write(videos.resolve("good.mkv"), new SampleVideos.Spec("good", 64, 48, 12, 10,
                SampleVideos.Codec.FFV1, 1));
        Files.writeString(videos.resolve("bad.mp4"), "not a video");
        Path out = dir.resolve("out");
        JobOptions o = JobOptions.defaults(videos.toString(), out.toString()).withPartitions(1);
        SparkSession spark = SparkSession.builder().master("local[1]").appName("autogaze-schema-contract")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            RunSummary s = new AutogazeJob(spark, o, ProcessorFactory.standard(),
                    new PrintStream(new ByteArrayOutputStream())).run(VideoDataset.load(o.input(), new Configuration()));
            assertEquals(1, s.clips(), "the 12-frame video is one clip");
            assertEquals(1, s.errorVideos(), "bad.mp4 is an error row");
        } finally {
            spark.stop();
        }
        return out;
    }

    private static Path onePartFile(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> parts = files.filter(p -> p.getFileName().toString().endsWith(".parquet")
                    && !p.getFileName().toString().startsWith("_") && !p.getFileName().toString().startsWith("."))
                    .toList();
            assertEquals(1, parts.size(), "part files in " + folder + ": " + parts);
            return parts.get(0);
        }
    }

    private static void assertSameColumns(List<Column> expected, List<Column> actual, String where) {
        assertEquals(expected.stream().map(Column::name).toList(), actual.stream().map(Column::name).toList(),
                "column names and order in " + where);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), "column " + i + " (" + expected.get(i).name() + ") in "
                    + where);
        }
    }

    static List<Column> fromSpark(StructType schema) {
        List<Column> out = new ArrayList<>();
        for (StructField f : schema.fields()) {
            out.add(new Column(f.name(), sparkType(f.dataType()), f.nullable()));
        }
        return out;
    }

    private static String sparkType(DataType t) {
        if (t instanceof ArrayType a) {
            return "list<" + sparkType(a.elementType()) + (a.containsNull() ? "?" : "") + ">";
        }
        if (t instanceof MapType m) {
            return "map<" + sparkType(m.keyType()) + "," + sparkType(m.valueType()) + ">";
        }
        Map<DataType, String> names = Map.of(DataTypes.IntegerType, "int32", DataTypes.LongType, "int64",
                DataTypes.StringType, "string", DataTypes.FloatType, "float", DataTypes.DoubleType, "double",
                DataTypes.BinaryType, "binary");
        String name = names.get(t);
        if (name == null) {
            fail("no name for Spark type " + t);
        }
        return name;
    }

    /** The file's own Parquet schema (not Spark's copy in its metadata), read with parquet-hadoop. */
    static List<Column> fromParquet(Path file) throws Exception {
        MessageType schema;
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
            schema = r.getFooter().getFileMetaData().getSchema();
        }
        List<Column> out = new ArrayList<>();
        for (Type f : schema.getFields()) {
            out.add(new Column(f.getName(), parquetType(f), f.getRepetition() == Type.Repetition.OPTIONAL));
        }
        return out;
    }

    private static String parquetType(Type t) {
        LogicalTypeAnnotation logical = t.getLogicalTypeAnnotation();
        if (!t.isPrimitive()) {
            // LIST: repeated group list { element }; MAP: repeated group key_value { key; value }
            GroupType repeated = t.asGroupType().getType(0).asGroupType();
            if (logical instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
                Type element = repeated.getType(0);
                return "list<" + parquetType(element) + (element.getRepetition() == Type.Repetition.OPTIONAL ? "?"
                        : "") + ">";
            }
            if (logical instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation) {
                return "map<" + parquetType(repeated.getType(0)) + "," + parquetType(repeated.getType(1)) + ">";
            }
            fail("unexpected Parquet group " + t);
        }
        PrimitiveType p = t.asPrimitiveType();
        return switch (p.getPrimitiveTypeName()) {
            case INT32 -> logical == null ? "int32" : "int32 " + logical;
            case INT64 -> logical == null ? "int64" : "int64 " + logical;
            case FLOAT -> "float";
            case DOUBLE -> "double";
            case BINARY -> logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation ? "string" : "binary";
            default -> p.getPrimitiveTypeName().toString();
        };
    }

    /** clip_tables.SCHEMA as Python sees it, one "name|type|nullable" line per column. */
    static List<Column> fromPython() throws Exception {
        String script = String.join("\n",
                "import pyarrow as pa",
                "from clip_tables import SCHEMA",
                "def name(t):",
                "    if pa.types.is_list(t):",
                "        return 'list<' + name(t.value_type) + ('?' if t.value_field.nullable else '') + '>'",
                "    if pa.types.is_map(t):",
                "        return 'map<' + name(t.key_type) + ',' + name(t.item_type) + '>'",
                "    return {'int32': 'int32', 'int64': 'int64', 'string': 'string', 'float': 'float',",
                "            'double': 'double', 'binary': 'binary'}.get(str(t), 'arrow ' + str(t))",
                "for f in SCHEMA:",
                "    print(f.name + '|' + name(f.type) + '|' + str(f.nullable))");
        ProcessBuilder pb = new ProcessBuilder("python3", "-c", script).redirectErrorStream(true);
        pb.environment().put("PYTHONPATH", Path.of("src/test/python").toAbsolutePath().toString());
        Process p = pb.start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python3 did not end");
        assertEquals(0, p.exitValue(), "python3 could not print clip_tables.SCHEMA (jobs/test installs pyarrow):\n"
                + printed);
        List<Column> out = new ArrayList<>();
        for (String line : printed.strip().split("\n")) {
            String[] f = line.split("\\|");
            out.add(new Column(f[0], f[1], Boolean.parseBoolean(f[2].toLowerCase())));
        }
        return out;
    }

    private static final Pattern NAME = Pattern.compile("`([a-z0-9_]+)`");

    /**
     * The table rows under {@code heading} up to the next "## " heading: "| `a`, `b` | type[, nullable][, …] |
     * meaning |" gives a column per name; list types are documented as having non-null elements.
     */
    static List<Column> fromDocs(String docs, String heading) {
        int start = docs.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, "heading " + heading + " not in docs/output-schema.md");
        int end = docs.indexOf("\n## ", start + heading.length() + 2);
        List<Column> out = new ArrayList<>();
        for (String line : docs.substring(start, end < 0 ? docs.length() : end).split("\n")) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|");
            String[] type = cells[2].strip().split(", ");
            boolean nullable = List.of(type).subList(1, type.length).contains("nullable");
            Matcher m = NAME.matcher(cells[1]);
            while (m.find()) {
                out.add(new Column(m.group(1), type[0], nullable));
            }
        }
        return out;
    }
}
