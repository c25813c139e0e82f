package dev.autogaze.io;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.encoders.ExpressionEncoder;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputSchemaTest {

    static ClipRow sample(int[] tokenIndex) {
        int k = tokenIndex.length;
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("label", "cat");
        extra.put("fold", "3");
        return new ClipRow("v1", "/data/v1.mp4", "train", extra, 2, new int[] {32, 33}, new double[] {1.28, 1.32}, 0,
                320, 240, "patch-diff", "0123456789abcdef", 0.75f, null, null, 0,
                224, new int[] {32, 64, 112, 224}, 265, 16, 0, 0, 0, 2, 224, 224, 2, 16, 1, 14, 14,
                new int[] {2, 1},
                new int[k], new int[k], tokenIndex.clone(), tokenIndex,
                new int[] {0, 0, 1}, new int[] {69, 4, 264}, new int[] {3, 1, 3}, new int[] {0, 0, 13},
                new int[] {0, 0, 13}, new float[] {Float.NaN, Float.NaN, Float.NaN},
                new float[] {0, 0, 297.14285f}, new float[] {0, 0, 222.85715f}, new float[] {22.857143f, 80, 320},
                new float[] {17.142857f, 60, 240}, 3, 0, new int[] {k, 1}, new int[] {k}, k / 196.0, "cpu", null);
    }

    private static ExpressionEncoder<Row> bound(ExpressionEncoder<Row> e) {
        return e.resolveAndBind(e.resolveAndBind$default$1(), e.resolveAndBind$default$2());
    }

    @Test
    void clipRowsPassSparksRowEncoderAndComeBackUnchanged() {
        ExpressionEncoder<Row> encoder = bound(ExpressionEncoder.apply(OutputSchema.CLIPS));
        Row row = OutputSchema.toRow(sample(new int[] {0, 5, 13}));
        assertEquals(OutputSchema.CLIPS.size(), row.size());
        InternalRow internal = encoder.createSerializer().apply(row);
        Row back = encoder.createDeserializer().apply(internal);
        assertEquals(List.of(0, 5, 13), back.getList(back.fieldIndex("token_index")));
        assertEquals(List.of(0, 5, 13), back.getList(back.fieldIndex("coords_col")));
        assertEquals(List.of(69, 4, 264), back.getList(back.fieldIndex("fix_id")));
        assertEquals(Map.of("label", "cat", "fold", "3"), back.getJavaMap(back.fieldIndex("extra")));
        assertEquals(OutputSchema.VERSION, back.getInt(back.fieldIndex("schema_version")));
        assertTrue(back.isNullAt(back.fieldIndex("gazing_ratio_each_frame")));
        assertTrue(back.isNullAt(back.fieldIndex("task_loss_requirement")));
        assertEquals(3, back.getInt(back.fieldIndex("token_count")));
        assertEquals(List.of(3, 1), back.getList(back.fieldIndex("tokens_each_frame")));
    }

    @Test
    void errorRowsPassSparksRowEncoder() {
        ExpressionEncoder<Row> encoder = bound(ExpressionEncoder.apply(OutputSchema.ERRORS));
        Row back = encoder.createDeserializer().apply(encoder.createSerializer().apply(
                OutputSchema.toRow(new ErrorRow("/d/x.mp4", "x", "DECODE", "corrupt packet", 2, "h"))));
        assertEquals("DECODE", back.getString(back.fieldIndex("stage")));
        assertEquals(2, back.getInt(back.fieldIndex("clips_written")));
    }

    @Test
    void parallelListsOfDifferentLengthsAreRejected() {
        ClipRow ok = sample(new int[] {1, 2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ClipRow(ok.videoId(),
                ok.sourcePath(), ok.split(), ok.extra(), ok.clipIndex(), ok.frameIndices(), ok.timestampsSec(), 0,
                320, 240, ok.gazeSource(), ok.configHash(), 0.75f, null, null, 0, 224, ok.scales(), 265, 16, 0, 0, 0, 2, 224, 224,
                2, 16, 1, 14, 14, ok.numGazingEachFrame(), new int[1], ok.coordsRow(), ok.coordsCol(), ok.tokenIndex(),
                ok.fixFrame(), ok.fixId(), ok.fixScale(), ok.fixRow(), ok.fixCol(), ok.fixConfidence(), ok.fixX0(),
                ok.fixY0(), ok.fixX1(), ok.fixY1(), 3, 0, ok.tokensEachFrame(), ok.tokensPerBin(), 0.01, "cpu", null));
        assertTrue(e.getMessage().contains("clip v1#2: coordinate lists differ in length (1, 2, 2, 2)"), e.getMessage());
    }
}
