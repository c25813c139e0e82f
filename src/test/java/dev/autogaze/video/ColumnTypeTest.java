package dev.autogaze.video;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ColumnTypeTest {

    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonValuesGiveTheNarrowestTypeThatHoldsThemAll() throws Exception {
        assertEquals(ColumnType.LONG, ColumnType.of(JSON.readTree("48")));
        assertEquals(ColumnType.DOUBLE, ColumnType.of(JSON.readTree("1.5")));
        assertEquals(ColumnType.BOOLEAN, ColumnType.of(JSON.readTree("true")));
        assertEquals(ColumnType.STRING, ColumnType.of(JSON.readTree("\"48\"")));
        assertEquals(ColumnType.STRING, ColumnType.of(JSON.readTree("[1, 2]")));
        assertNull(ColumnType.of(JSON.readTree("null")));
        assertEquals(ColumnType.DOUBLE, ColumnType.merge(ColumnType.LONG, ColumnType.DOUBLE));
        assertEquals(ColumnType.LONG, ColumnType.merge(ColumnType.INT, ColumnType.LONG));
        assertEquals(ColumnType.DOUBLE, ColumnType.merge(ColumnType.FLOAT, ColumnType.INT));
        assertEquals(ColumnType.STRING, ColumnType.merge(ColumnType.LONG, ColumnType.BOOLEAN));
        assertEquals(ColumnType.LONG, ColumnType.merge(null, ColumnType.LONG));
        assertEquals(ColumnType.LONG, ColumnType.merge(ColumnType.LONG, null));
    }

    @Test
    void parsingTheListingsTextGivesBackTheSourceValue() {
        assertEquals(48L, ColumnType.LONG.parse("48"));
        assertEquals(2.0, ColumnType.DOUBLE.parse("2"));
        assertEquals(0.1f, ColumnType.FLOAT.parse(Float.toString(0.1f)));
        assertEquals(true, ColumnType.BOOLEAN.parse("true"));
        assertEquals(-7, ColumnType.INT.parse("-7"));
        assertNull(ColumnType.LONG.parse(null));
    }

    @Test
    void aParquetManifestsKeptColumnsKeepTheirTypes() throws Exception {
        MessageType schema = MessageTypeParser.parseMessageType("message m { required binary path (UTF8);"
                + " optional int64 frames; optional float score; optional boolean ok; optional binary note (UTF8); }");
        Configuration conf = new Configuration();
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir.resolve("m.parquet").toUri());
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(file).withType(schema).withConf(conf).build()) {
            w.write(new SimpleGroupFactory(schema).newGroup().append("path", "/d/a.mp4").append("frames", 9_000_000_000L)
                    .append("score", 0.1f).append("ok", true).append("note", "n"));
        }
        VideoDataset.Listing l = VideoDataset.listing(dir.resolve("m.parquet").toString(),
                List.of("score", "frames", "ok", "note"), conf);
        assertEquals(ColumnType.LONG, l.typeOf("frames"));
        assertEquals(ColumnType.FLOAT, l.typeOf("score"));
        assertEquals(ColumnType.BOOLEAN, l.typeOf("ok"));
        assertEquals(ColumnType.STRING, l.typeOf("note"));
        VideoRef r = l.videos().get(0);
        assertEquals(List.of("score", "frames", "ok", "note"), List.copyOf(r.extra().keySet()));
        assertEquals(9_000_000_000L, l.typeOf("frames").parse(r.extra().get("frames")));
        assertEquals(0.1f, l.typeOf("score").parse(r.extra().get("score")));
    }
}
