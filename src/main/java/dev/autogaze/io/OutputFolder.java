package dev.autogaze.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A job output folder OUT read without Spark: its clips (through {@link ClipParquetReader}), its error rows and
 * its summary.json. The errors table is small, so the example Group API is enough there.
 */
public record OutputFolder(String path, Configuration conf) {

    public String clipsPath() {
        return new Path(path, OutputSchema.CLIPS_DIR).toString();
    }

    public ClipParquetReader clips(boolean fixations) throws IOException {
        return ClipParquetReader.open(clipsPath(), conf, fixations);
    }

    /** The error rows (an empty list for a run without errors); a missing errors table is an error. */
    @SuppressWarnings("deprecation")
    public List<ErrorRow> errors() throws IOException {
        Path dir = new Path(path, OutputSchema.ERRORS_DIR);
        List<ErrorRow> out = new ArrayList<>();
        for (Path file : ClipParquetReader.dataFiles(dir, conf)) {
            try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build()) {
                for (Group g = r.read(); g != null; g = r.read()) {
                    int version = g.getInteger("schema_version", 0);
                    if (!OutputSchema.readable(version)) {
                        throw new OutputFormatException(file + ": error row has schema_version " + version
                                + "; " + OutputSchema.readableText());
                    }
                    out.add(new ErrorRow(g.getString("path", 0), g.getString("video_id", 0), g.getString("stage", 0),
                            g.getString("message", 0), g.getInteger("clips_written", 0),
                            g.getString("config_hash", 0)));
                }
            }
        }
        return out;
    }

    /** Staging folders and Spark temporaries left by a killed run ({@link OutputCommits#problems}). */
    public List<String> leftovers() throws IOException {
        Path out = new Path(path);
        return new OutputCommits(out.getFileSystem(conf), out).problems();
    }

    /** summary.json as a tree. */
    public JsonNode summary() throws IOException {
        Path file = new Path(path, OutputSchema.SUMMARY_FILE);
        FileSystem fs = file.getFileSystem(conf);
        if (!fs.exists(file)) {
            throw new FileNotFoundException("no " + OutputSchema.SUMMARY_FILE + " in " + path
                    + " (a run writes it last; was the run interrupted?)");
        }
        try (FSDataInputStream in = fs.open(file)) {
            return new ObjectMapper().readTree(in);
        }
    }
}
