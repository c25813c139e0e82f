package dev.autogaze.video;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The videos of a Parquet table that holds them as bytes (a Hugging Face datasets export, say): one video per row in
 * a binary column ({@code --video-column}, a dotted path for a nested field such as {@code video.bytes}), with
 * optional {@code video_id}, {@code start_sec}/{@code end_sec} and {@code split} columns and the kept columns. The
 * listing reads those small columns only, row group by row group; the bytes are read by the task that decodes them
 * ({@link TableCells}).
 */
public final class VideoTable {

    private VideoTable() {
    }

    /**
     * Every row of the table at {@code input} (a .parquet file, a folder of them, or a glob) as a video. The id is
     * the row's {@code video_id}, else {@code file/row} (the file's path from the listed root without .parquet, the
     * row counted from 0). A row with a bad window, or an id another row has too, is rejected (stage MANIFEST).
     */
    public static VideoDataset.Listing listing(String input, String videoColumn, List<String> keepColumns,
                                               Configuration conf) throws IOException {
        List<FileStatus> files = files(input, conf);
        if (files.isEmpty()) {
            throw new FileNotFoundException("no .parquet files found at " + input);
        }
        Path first = files.get(0).getPath();
        FileSystem fs = first.getFileSystem(conf);
        Path root = fs.makeQualified(new Path(input)).getParent();
        FileStatus top = exists(fs, new Path(input));
        if (top != null && top.isDirectory()) {
            root = top.getPath();
        }
        String rootStr = root == null ? "" : root.toUri().getPath().replaceAll("/+$", "");
        List<VideoRef> refs = new ArrayList<>();
        List<VideoDataset.Rejected> rejected = new ArrayList<>();
        Map<String, ColumnType> types = new LinkedHashMap<>();
        for (FileStatus f : files) {
            read(f.getPath(), fileId(f.getPath(), rootStr), videoColumn, keepColumns, conf, refs, rejected, types);
        }
        // An id on two rows names neither video for sure: both rows are rejected.
        Map<String, Integer> count = new HashMap<>();
        refs.forEach(r -> count.merge(r.videoId(), 1, Integer::sum));
        List<VideoRef> unique = new ArrayList<>();
        for (VideoRef r : refs) {
            if (count.get(r.videoId()) == 1) {
                unique.add(r);
            } else {
                rejected.add(new VideoDataset.Rejected(r.videoId(), r.path(), r.path() + " " + r.member().name()
                        + ": video_id " + OneLine.printable(r.videoId()) + " is used by " + count.get(r.videoId())
                        + " rows"));
            }
        }
        return new VideoDataset.Listing(unique, rejected, types);
    }

    private static void read(Path file, String fileId, String videoColumn, List<String> keep, Configuration conf,
                             List<VideoRef> refs, List<VideoDataset.Rejected> rejected, Map<String, ColumnType> types)
            throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            try {
                TableCells.projection(schema, videoColumn.split("\\."));
            } catch (IOException e) {
                throw new IOException("--video-column: " + file + " " + e.getMessage(), e);
            }
            List<String> wanted = new ArrayList<>();
            for (String c : List.of("video_id", "start_sec", "end_sec", "split")) {
                if (schema.containsField(c)) {
                    wanted.add(c);
                }
            }
            for (String c : keep) {
                if (!schema.containsField(c)) {
                    throw new IOException("--keep-columns: " + file + " has no column " + c + " (columns: "
                            + String.join(", ", schema.getFields().stream().map(Type::getName).toList()) + ")");
                }
                if (!wanted.contains(c)) {
                    wanted.add(c);
                }
                ColumnType t = ColumnType.of(schema.getType(c));
                types.merge(c, t, ColumnType::merge);
            }
            List<Type> fields = new ArrayList<>();
            wanted.forEach(c -> fields.add(schema.getType(c)));
            MessageType projection = new MessageType(schema.getName(), fields);
            reader.setRequestedSchema(projection);
            long row = 0;
            int blocks = reader.getRowGroups().size();
            for (int g = 0; g < blocks; g++) {
                long rows = reader.getRowGroups().get(g).getRowCount();
                RecordReader<Group> records = null;
                if (!fields.isEmpty()) {
                    PageReadStore pages = reader.readRowGroup(g);
                    records = new ColumnIOFactory().getColumnIO(projection)
                            .getRecordReader(pages, new GroupRecordConverter(projection));
                }
                for (long i = 0; i < rows; i++, row++) {
                    Map<String, String> values = new LinkedHashMap<>();
                    if (records != null) {
                        Group rec = records.read();
                        for (String c : wanted) {
                            values.put(c, rec.getFieldRepetitionCount(c) == 0 ? null
                                    : schema.getType(c).isPrimitive() ? rec.getValueToString(rec.getType()
                                    .getFieldIndex(c), 0) : rec.getGroup(c, 0).toString());
                        }
                    }
                    TableCell cell = new TableCell(videoColumn, g, i, row);
                    String id = values.get("video_id");
                    id = id == null || id.isBlank() ? fileId + "/" + row : id;
                    Map<String, String> extra = new LinkedHashMap<>();
                    keep.forEach(c -> extra.put(c, values.get(c)));
                    try {
                        refs.add(new VideoRef(id, file.toString(), number(values.get("start_sec")),
                                number(values.get("end_sec")), values.get("split"), extra, cell));
                    } catch (IllegalArgumentException e) {
                        rejected.add(new VideoDataset.Rejected(id, file.toString(), file + " row " + row + ": "
                                + OneLine.printable(e.getMessage())));
                    }
                }
            }
        }
    }

    private static Double number(String v) {
        return v == null || v.isBlank() ? null : Double.valueOf(v.trim());
    }

    private static List<FileStatus> files(String input, Configuration conf) throws IOException {
        Path p = new Path(input);
        FileSystem fs = p.getFileSystem(conf);
        FileStatus[] matches = input.matches(".*[*?\\[{].*") ? fs.globStatus(p) : new FileStatus[] {fs.getFileStatus(p)};
        List<FileStatus> out = new ArrayList<>();
        for (FileStatus m : matches == null ? new FileStatus[0] : matches) {
            if (m.isDirectory()) {
                RemoteIterator<LocatedFileStatus> it = fs.listFiles(m.getPath(), true);
                while (it.hasNext()) {
                    LocatedFileStatus f = it.next();
                    String rel = f.getPath().toUri().getPath().substring(m.getPath().toUri().getPath().length());
                    if (f.getPath().getName().endsWith(".parquet") && !rel.contains("/_") && !rel.contains("/.")) {
                        out.add(f);
                    }
                }
            } else {
                out.add(m);
            }
        }
        out.sort((a, b) -> a.getPath().toString().compareTo(b.getPath().toString()));
        return out;
    }

    private static FileStatus exists(FileSystem fs, Path p) throws IOException {
        try {
            return fs.getFileStatus(p);
        } catch (FileNotFoundException e) {
            return null;
        }
    }

    private static String fileId(Path p, String rootStr) {
        String full = p.toUri().getPath();
        String rel = full.startsWith(rootStr + "/") ? full.substring(rootStr.length() + 1) : p.getName();
        return rel.endsWith(".parquet") ? rel.substring(0, rel.length() - ".parquet".length()) : rel;
    }
}
