package dev.autogaze.io;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The explicit Spark schema of the clips and errors tables, and the conversion of {@link ClipRow} and
 * {@link ErrorRow} values into Spark rows. docs/output-schema.md documents every column; bump {@link #VERSION}
 * whenever a column changes meaning, type or position.
 */
public final class OutputSchema {

    /**
     * Written into every row as schema_version. 2 appended the clips' nullable {@code patches} column; a version-1
     * output is a version-2 one without it, so the readers here read both.
     */
    public static final int VERSION = 2;

    /** The oldest version the readers here read. */
    public static final int OLDEST_READABLE = 1;

    public static final String CLIPS_DIR = "clips";
    public static final String ERRORS_DIR = "errors";
    public static final String SUMMARY_FILE = "summary.json";

    private static final DataType INTS = DataTypes.createArrayType(DataTypes.IntegerType, false);
    private static final DataType FLOATS = DataTypes.createArrayType(DataTypes.FloatType, false);
    private static final DataType DOUBLES = DataTypes.createArrayType(DataTypes.DoubleType, false);

    public static final StructType CLIPS = new StructType(new StructField[] {
            field("schema_version", DataTypes.IntegerType, false),
            field("video_id", DataTypes.StringType, false),
            field("source_path", DataTypes.StringType, false),
            field("split", DataTypes.StringType, true),
            field("extra", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, true), true),
            field("clip_index", DataTypes.IntegerType, false),
            field("frame_indices", INTS, false),
            field("timestamps_sec", DOUBLES, false),
            field("padded_frames", DataTypes.IntegerType, false),
            field("source_width", DataTypes.IntegerType, false),
            field("source_height", DataTypes.IntegerType, false),
            field("gaze_source", DataTypes.StringType, false),
            field("config_hash", DataTypes.StringType, false),
            field("gazing_ratio", DataTypes.FloatType, false),
            field("gazing_ratio_each_frame", FLOATS, true),
            field("task_loss_requirement", DataTypes.FloatType, true),
            field("max_gaze_tokens_per_frame", DataTypes.IntegerType, false),
            field("model_frame_size", DataTypes.IntegerType, false),
            field("scales", INTS, false),
            field("tokens_per_frame", DataTypes.IntegerType, false),
            field("scale_patch", DataTypes.IntegerType, false),
            field("tile_rows", DataTypes.IntegerType, false),
            field("tile_cols", DataTypes.IntegerType, false),
            field("tile_size", DataTypes.IntegerType, false),
            field("video_frames", DataTypes.IntegerType, false),
            field("video_height", DataTypes.IntegerType, false),
            field("video_width", DataTypes.IntegerType, false),
            field("tubelet", DataTypes.IntegerType, false),
            field("patch", DataTypes.IntegerType, false),
            field("grid_t", DataTypes.IntegerType, false),
            field("grid_h", DataTypes.IntegerType, false),
            field("grid_w", DataTypes.IntegerType, false),
            field("num_gazing_each_frame", INTS, false),
            field("coords_t", INTS, false),
            field("coords_row", INTS, false),
            field("coords_col", INTS, false),
            field("token_index", INTS, false),
            field("fix_frame", INTS, false),
            field("fix_id", INTS, false),
            field("fix_scale", INTS, false),
            field("fix_row", INTS, false),
            field("fix_col", INTS, false),
            field("fix_confidence", FLOATS, false),
            field("fix_x0", FLOATS, false),
            field("fix_y0", FLOATS, false),
            field("fix_x1", FLOATS, false),
            field("fix_y1", FLOATS, false),
            field("real_gazes", DataTypes.IntegerType, false),
            field("pad_gazes", DataTypes.IntegerType, false),
            field("token_count", DataTypes.IntegerType, false),
            field("tokens_each_frame", INTS, false),
            field("tokens_per_bin", INTS, false),
            field("keep_ratio", DataTypes.DoubleType, false),
            field("device", DataTypes.StringType, false),
            field("patches", DataTypes.BinaryType, true),
    });

    public static final StructType ERRORS = new StructType(new StructField[] {
            field("schema_version", DataTypes.IntegerType, false),
            field("path", DataTypes.StringType, false),
            field("video_id", DataTypes.StringType, false),
            field("stage", DataTypes.StringType, false),
            field("message", DataTypes.StringType, false),
            field("clips_written", DataTypes.IntegerType, false),
            field("config_hash", DataTypes.StringType, false),
    });

    private OutputSchema() {
    }

    private static StructField field(String name, DataType type, boolean nullable) {
        return new StructField(name, type, nullable, Metadata.empty());
    }

    /** {@link #CLIPS} followed by the pass-through columns (docs/output-schema.md), in the order named. */
    public static StructType clips(List<StructField> passThrough) {
        StructType t = CLIPS;
        for (StructField f : passThrough) {
            t = t.add(f);
        }
        return t;
    }

    /** The clip as a Spark row of {@link #clips(List)}: the fixed columns, then the pass-through columns' values. */
    public static Row toRow(ClipRow r, Object[] passThrough) {
        if (passThrough.length == 0) {
            return toRow(r);
        }
        Row base = toRow(r);
        Object[] values = new Object[base.size() + passThrough.length];
        for (int i = 0; i < base.size(); i++) {
            values[i] = base.get(i);
        }
        System.arraycopy(passThrough, 0, values, base.size(), passThrough.length);
        return RowFactory.create(values);
    }

    /** The clip as a Spark row in {@link #CLIPS} column order; primitive arrays pass through unboxed. */
    public static Row toRow(ClipRow r) {
        return RowFactory.create(VERSION, r.videoId(), r.sourcePath(), r.split(),
                r.extra() == null || r.extra().isEmpty() ? null : scalaMap(r.extra()),
                r.clipIndex(), r.frameIndices(), r.timestampsSec(), r.paddedFrames(),
                r.sourceWidth(), r.sourceHeight(),
                r.gazeSource(), r.configHash(), r.gazingRatio(), r.gazingRatioEachFrame(),
                r.taskLossRequirement(), r.maxGazeTokensPerFrame(),
                r.modelFrameSize(), r.scales(), r.tokensPerFrame(), r.scalePatch(), r.tileRows(), r.tileCols(), r.tileSize(),
                r.videoFrames(), r.videoHeight(), r.videoWidth(), r.tubelet(), r.patch(),
                r.gridT(), r.gridH(), r.gridW(),
                r.numGazingEachFrame(),
                r.coordsT(), r.coordsRow(), r.coordsCol(), r.tokenIndex(),
                r.fixFrame(), r.fixId(), r.fixScale(), r.fixRow(), r.fixCol(), r.fixConfidence(),
                r.fixX0(), r.fixY0(), r.fixX1(), r.fixY1(),
                r.realGazes(), r.padGazes(), r.tokenCount(), r.tokensEachFrame(), r.tokensPerBin(), r.keepRatio(),
                r.device(), r.patches());
    }

    public static Row toRow(ErrorRow e) {
        return RowFactory.create(VERSION, e.path(), e.videoId(), e.stage(), e.message(), e.clipsWritten(),
                e.configHash());
    }

    /** Spark's row encoder wants a scala.collection.Map; a view of a LinkedHashMap keeps manifest order. */
    private static scala.collection.Map<String, String> scalaMap(Map<String, String> extra) {
        return scala.collection.JavaConverters.mapAsScalaMap(new LinkedHashMap<>(extra));
    }

    /** Whether the readers here read rows of {@code version}. */
    public static boolean readable(int version) {
        return version >= OLDEST_READABLE && version <= VERSION;
    }

    /** "this reader reads schema_version 1 to 2", the end of every version error. */
    public static String readableText() {
        return "this reader reads schema_version " + OLDEST_READABLE + " to " + VERSION;
    }

    /** Column names of the clips table, in order (for docs and tests). */
    public static List<String> clipColumns() {
        List<String> names = new ArrayList<>();
        for (StructField f : CLIPS.fields()) {
            names.add(f.name());
        }
        return names;
    }
}
