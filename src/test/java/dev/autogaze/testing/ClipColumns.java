package dev.autogaze.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autogaze.io.ClipRow;
import dev.autogaze.io.OutputSchema;
import dev.autogaze.job.JobOptions;
import dev.autogaze.model.GazeSource;
import dev.autogaze.readout.Fixation;
import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.readout.ImageTokens;
import dev.autogaze.readout.Readout;
import dev.autogaze.readout.ReadoutRect;
import dev.autogaze.readout.ScaleLayout;
import dev.autogaze.readout.SourceFrame;
import dev.autogaze.readout.VideoCoordinates;
import dev.autogaze.readout.VideoGeometry;
import dev.autogaze.video.DecodedClip;
import dev.autogaze.video.VideoRef;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every column of a clip row as plain comparable values (Integer, Float, Double, String, List, Map; nulls as null),
 * from wherever the row was read (a {@link ClipRow}, a Spark {@link Row}, pyarrow's JSON) or computed: {@link #expected}
 * calls the video, gaze-source and readout libraries on one clip, independently of the job's own row builder. Tests
 * that claim "the job's rows equal the libraries" compare with {@link #assertSame}, which covers every column of
 * {@link OutputSchema#CLIPS}, so a new column cannot go unchecked.
 */
public final class ClipColumns {

    private ClipColumns() {
    }

    /**
     * The row the libraries give for {@code clip} of {@code video} gazed alone by {@code source} (a batch of one),
     * with the run's options, hash and device label.
     */
    public static Map<String, Object> expected(JobOptions o, String configHash, GazeSource source, VideoRef video,
                                               DecodedClip clip, String device) {
        GeneratedGaze g = source.gaze(List.of(clip.frames()), o.gaze());
        ScaleLayout layout = source.layout();
        VideoGeometry geo = o.geometry();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema_version", OutputSchema.VERSION);
        m.put("video_id", video.videoId());
        m.put("source_path", video.path());
        m.put("split", video.split());
        m.put("extra", video.extra() == null || video.extra().isEmpty() ? null : new TreeMap<>(video.extra()));
        m.put("clip_index", clip.clipIndex());
        m.put("frame_indices", list(clip.frameIndices()));
        m.put("timestamps_sec", list(clip.timestampsSec()));
        m.put("padded_frames", clip.paddedFrames());
        m.put("source_width", clip.sourceWidth());
        m.put("source_height", clip.sourceHeight());
        m.put("gaze_source", source.name());
        m.put("config_hash", configHash);
        m.put("gazing_ratio", o.gaze().gazingRatio());
        m.put("gazing_ratio_each_frame", list(o.gaze().gazingRatioEachFrame()));
        m.put("task_loss_requirement", o.gaze().taskLossRequirement());
        m.put("max_gaze_tokens_per_frame", o.gaze().maxGazeTokensPerFrame());
        m.put("model_frame_size", layout.frameSize());
        m.put("scales", list(layout.scales()));
        m.put("tokens_per_frame", layout.tokensPerFrame());
        m.put("scale_patch", layout.patchSize());
        m.put("tile_rows", 0); // the clips these tests compare are gazed untiled
        m.put("tile_cols", 0);
        m.put("tile_size", 0);
        m.put("video_frames", geo.frames());
        m.put("video_height", geo.height());
        m.put("video_width", geo.width());
        m.put("tubelet", geo.tubelet());
        m.put("patch", geo.patch());
        m.put("grid_t", geo.bins());
        m.put("grid_h", geo.rows());
        m.put("grid_w", geo.cols());
        m.put("num_gazing_each_frame", list(g.numGazingEachFrame()));
        VideoCoordinates c = Readout.videoCoordinates(g, layout, geo, o.readout(), o.videoTokens()).row(0);
        List<Integer> t = new ArrayList<>(), row = new ArrayList<>(), col = new ArrayList<>();
        Integer[] perBin = new Integer[geo.bins()];
        java.util.Arrays.fill(perBin, 0);
        for (int i = 0; i < c.count(); i++) {
            t.add(c.temporal(i));
            row.add(c.row(i));
            col.add(c.col(i));
            perBin[c.temporal(i)]++;
        }
        m.put("coords_t", t);
        m.put("coords_row", row);
        m.put("coords_col", col);
        m.put("token_index", list(c.flatIndices()));
        List<Fixation> fixations = new ArrayList<>();
        Readout.fixations(g, layout, SourceFrame.of(layout, clip.sourceWidth(), clip.sourceHeight())).get(0).frames()
                .forEach(fixations::addAll);
        List<Object> frame = new ArrayList<>(), id = new ArrayList<>(), scale = new ArrayList<>();
        List<Object> cellRow = new ArrayList<>(), cellCol = new ArrayList<>(), confidence = new ArrayList<>();
        List<Object> x0 = new ArrayList<>(), y0 = new ArrayList<>(), x1 = new ArrayList<>(), y1 = new ArrayList<>();
        for (Fixation f : fixations) {
            frame.add(f.frame());
            id.add(f.cell().id());
            scale.add(f.cell().scale());
            cellRow.add(f.cell().row());
            cellCol.add(f.cell().col());
            confidence.add(f.confidence());
            ReadoutRect r = f.sourceRect();
            x0.add((float) r.x0());
            y0.add((float) r.y0());
            x1.add((float) r.x1());
            y1.add((float) r.y1());
        }
        m.put("fix_frame", frame);
        m.put("fix_id", id);
        m.put("fix_scale", scale);
        m.put("fix_row", cellRow);
        m.put("fix_col", cellCol);
        m.put("fix_confidence", confidence);
        m.put("fix_x0", x0);
        m.put("fix_y0", y0);
        m.put("fix_x1", x1);
        m.put("fix_y1", y1);
        int pads = 0;
        for (boolean p : g.padded()[0]) {
            pads += p ? 1 : 0;
        }
        m.put("real_gazes", g.padded()[0].length - pads);
        m.put("pad_gazes", pads);
        m.put("token_count", c.count());
        ImageTokens perFrame = Readout.imageTokens(g, layout, geo.frameGrid(), o.readout()).get(0);
        List<Integer> eachFrame = new ArrayList<>();
        for (int f = 0; f < perFrame.frames(); f++) {
            eachFrame.add(perFrame.frame(f).length);
        }
        m.put("tokens_each_frame", eachFrame);
        m.put("tokens_per_bin", List.of(perBin));
        m.put("keep_ratio", (double) c.count() / (geo.bins() * geo.rows() * geo.cols()));
        m.put("device", device);
        if (o.emitPatches()) {
            throw new IllegalArgumentException("ClipColumns.expected computes no patches: compare runs without "
                    + "--emit-patches (the patch tests check the pixels)");
        }
        m.put("patches", null);
        return m;
    }

    /** The clip as the job hands it to Spark ({@link OutputSchema#toRow}). */
    public static Map<String, Object> of(ClipRow row) {
        return of(OutputSchema.toRow(row));
    }

    /** A clips-table row as Spark gives it back (or as {@link OutputSchema#toRow} builds it). */
    public static Map<String, Object> of(Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        StructField[] fields = OutputSchema.CLIPS.fields();
        for (int c = 0; c < fields.length; c++) {
            // a row read back has its schema; one built by toRow has the CLIPS order
            int i = r.schema() == null ? c : r.fieldIndex(fields[c].name());
            m.put(fields[c].name(), r.isNullAt(i) ? null : plain(r.get(i)));
        }
        return m;
    }

    /** A clips-table row as pyarrow's {@code to_pylist()} printed by {@code json.dumps} (NaN allowed). */
    public static Map<String, Object> of(JsonNode n) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (StructField f : OutputSchema.CLIPS.fields()) {
            JsonNode v = n.get(f.name());
            m.put(f.name(), v == null || v.isNull() ? null : fromJson(v, f.dataType()));
        }
        return m;
    }

    /** Column by column, each failure naming the column and {@code what}; both rows must have every column. */
    public static void assertSame(Map<String, Object> expected, Map<String, Object> actual, String what) {
        assertEquals(OutputSchema.clipColumns(), List.copyOf(expected.keySet()), what + ": expected columns");
        assertEquals(OutputSchema.clipColumns(), List.copyOf(actual.keySet()), what + ": actual columns");
        for (String column : OutputSchema.clipColumns()) {
            assertEquals(expected.get(column), actual.get(column), what + " column " + column);
        }
    }

    private static Object fromJson(JsonNode v, DataType type) {
        if (type instanceof ArrayType a) {
            List<Object> out = new ArrayList<>();
            v.forEach(e -> out.add(fromJson(e, a.elementType())));
            return out;
        }
        if (type instanceof MapType) {
            // pyarrow lists a map as [key, value] pairs
            Map<String, String> out = new TreeMap<>();
            v.forEach(pair -> out.put(pair.get(0).asText(), pair.get(1).asText()));
            return out;
        }
        if (type.equals(DataTypes.IntegerType)) {
            return v.asInt();
        }
        if (type.equals(DataTypes.FloatType)) {
            return (float) v.asDouble(); // a float32 printed as the double it widens to: exact
        }
        if (type.equals(DataTypes.DoubleType)) {
            return v.asDouble();
        }
        return v.asText();
    }

    /** Spark's and Java's containers as List / sorted Map; primitive arrays boxed. */
    private static Object plain(Object v) {
        if (v == null) {
            return null;
        }
        if (v.getClass().isArray()) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) {
                out.add(Array.get(v, i));
            }
            return out;
        }
        if (v instanceof scala.collection.Seq<?> s) {
            List<Object> out = new ArrayList<>();
            for (Iterator<?> it = scala.collection.JavaConverters.asJavaIterator(s.iterator()); it.hasNext(); ) {
                out.add(plain(it.next()));
            }
            return out;
        }
        if (v instanceof scala.collection.Map<?, ?> s) {
            return plain(scala.collection.JavaConverters.mapAsJavaMap(s));
        }
        if (v instanceof Map<?, ?> map) {
            Map<Object, Object> out = new TreeMap<>();
            map.forEach((k, x) -> out.put(k, plain(x)));
            return out.isEmpty() ? null : out;
        }
        return v;
    }

    private static List<Object> list(Object primitiveArray) {
        return primitiveArray == null ? null : castList(plain(primitiveArray));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> castList(Object o) {
        return (List<Object>) o;
    }
}
