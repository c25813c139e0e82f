package dev.autogaze.video;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The video bytes of a Parquet table's cells, read a row group at a time (the task that decodes a row group's videos
 * reads its video column once, the other columns never) and kept for the next cells of that row group. A cell's
 * bytes stay in the page buffer Parquet read them into: FFmpeg reads them from there (custom AVIO), so they are
 * copied once into the decoder and nowhere else.
 */
public final class TableCells {

    /** Row groups kept: one per decoding task on the executor, a few at most. Memory: their video columns. */
    static final int CACHED_ROW_GROUPS = 4;

    private static final Map<String, ByteBuffer[]> CACHE = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ByteBuffer[]> eldest) {
            return size() > CACHED_ROW_GROUPS;
        }
    };

    private TableCells() {
    }

    /** The bytes of one cell as a stream FFmpeg can seek in (mark, reset, skip); null cells are an IOException. */
    static InputStream open(String path, TableCell cell, Configuration conf) throws IOException {
        ByteBuffer[] values = rowGroup(path, cell.column(), cell.rowGroup(), conf);
        if (cell.rowInGroup() >= values.length) {
            throw new IOException("row group " + cell.rowGroup() + " has " + values.length + " rows, not "
                    + (cell.rowInGroup() + 1));
        }
        ByteBuffer b = values[(int) cell.rowInGroup()];
        if (b == null) {
            throw new IOException(cell.column() + " is null in row " + cell.row());
        }
        return new BufferStream(b.duplicate());
    }

    /** The number of bytes of one cell (0 for a null cell). */
    static long size(String path, TableCell cell, Configuration conf) throws IOException {
        ByteBuffer b = rowGroup(path, cell.column(), cell.rowGroup(), conf)[(int) cell.rowInGroup()];
        return b == null ? 0 : b.remaining();
    }

    private static synchronized ByteBuffer[] rowGroup(String path, String column, int rowGroup, Configuration conf)
            throws IOException {
        String key = path + "\n" + column + "\n" + rowGroup;
        ByteBuffer[] cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        Path p = new Path(path);
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(p, conf))) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            MessageType projection = projection(schema, column.split("\\."));
            reader.setRequestedSchema(projection);
            PageReadStore pages = reader.readRowGroup(rowGroup);
            RecordReader<Group> records = new ColumnIOFactory().getColumnIO(projection)
                    .getRecordReader(pages, new GroupRecordConverter(projection));
            ByteBuffer[] values = new ByteBuffer[(int) pages.getRowCount()];
            String[] parts = column.split("\\.");
            for (int i = 0; i < values.length; i++) {
                Binary b = binary(records.read(), parts);
                values[i] = b == null ? null : b.toByteBuffer();
            }
            CACHE.put(key, values);
            return values;
        }
    }

    /** The value at a dotted path of a record, or null where a level is missing. */
    private static Binary binary(Group g, String[] parts) {
        for (int i = 0; i < parts.length; i++) {
            if (g.getFieldRepetitionCount(parts[i]) == 0) {
                return null;
            }
            if (i == parts.length - 1) {
                return g.getBinary(parts[i], 0);
            }
            g = g.getGroup(parts[i], 0);
        }
        return null;
    }

    /**
     * The schema with only the field at {@code parts} (and the groups above it). The field must be a binary value
     * that is not repeated; else an IOException naming the column and what it is.
     */
    static MessageType projection(MessageType schema, String[] parts) throws IOException {
        return new MessageType(schema.getName(), prune(schema, parts, 0, String.join(".", parts)));
    }

    private static Type prune(GroupType group, String[] parts, int i, String column) throws IOException {
        if (!group.containsField(parts[i])) {
            List<String> names = new ArrayList<>();
            group.getFields().forEach(f -> names.add(f.getName()));
            throw new IOException("has no column " + column + " (" + (i == 0 ? "columns" : parts[i - 1] + " has")
                    + ": " + String.join(", ", names) + ")");
        }
        Type t = group.getType(parts[i]);
        if (t.isRepetition(Type.Repetition.REPEATED)) {
            throw new IOException("column " + column + " is a repeated field, not one video per row");
        }
        if (i == parts.length - 1) {
            if (!t.isPrimitive() || t.asPrimitiveType().getPrimitiveTypeName() != PrimitiveType.PrimitiveTypeName.BINARY) {
                throw new IOException("column " + column + " is " + (t.isPrimitive()
                        ? t.asPrimitiveType().getPrimitiveTypeName().name().toLowerCase(java.util.Locale.ROOT)
                        : "a group") + ", not binary video bytes" + (t.isPrimitive() ? "" : " (name a binary field"
                        + " inside it, e.g. " + column + ".bytes)"));
            }
            return t;
        }
        if (t.isPrimitive()) {
            throw new IOException("column " + String.join(".", java.util.Arrays.copyOf(parts, i + 1))
                    + " is not a group, so " + column + " does not exist");
        }
        return t.asGroupType().withNewFields(prune(t.asGroupType(), parts, i + 1, column));
    }

    /** A read-only view of a buffer as a seekable stream: mark/reset/skip move the position, nothing is copied. */
    private static final class BufferStream extends InputStream {
        private final ByteBuffer b;

        BufferStream(ByteBuffer b) {
            this.b = b;
            b.mark();
        }

        @Override
        public int read() {
            return b.hasRemaining() ? b.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] dst, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (!b.hasRemaining()) {
                return -1;
            }
            int n = Math.min(len, b.remaining());
            b.get(dst, off, n);
            return n;
        }

        @Override
        public long skip(long n) {
            int k = (int) Math.max(0, Math.min(n, b.remaining()));
            b.position(b.position() + k);
            return k;
        }

        @Override
        public int available() {
            return b.remaining();
        }

        @Override
        public boolean markSupported() {
            return true;
        }

        @Override
        public synchronized void mark(int readLimit) {
            b.mark();
        }

        @Override
        public synchronized void reset() {
            b.reset();
        }
    }
}
