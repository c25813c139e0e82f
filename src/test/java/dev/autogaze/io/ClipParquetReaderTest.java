package dev.autogaze.io;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ClipParquetReader against Spark's own read of a real job output (written by AutogazeJob in local mode). */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClipParquetReaderTest {

    static SparkSession spark;
    static Path out;
    static Map<String, Row> sparkRows = new TreeMap<>();
    static Map<String, ClipCoordinates> ours = new TreeMap<>();

    @BeforeAll
    static void read() throws Exception {
        out = JobOutputs.sample();
        spark = JobOutputs.spark();
        for (Row r : spark.read().parquet(out.resolve("clips").toString()).collectAsList()) {
            sparkRows.put(r.getString(r.fieldIndex("video_id")) + "#" + r.getInt(r.fieldIndex("clip_index")), r);
        }
        for (ClipCoordinates c : ClipParquetReader.readAll(out.resolve("clips").toString(), new Configuration(), true)) {
            ours.put(c.videoId() + "#" + c.clipIndex(), c);
        }
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static int[] ints(Row r, String column) {
        List<Integer> l = r.getList(r.fieldIndex(column));
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    private static float[] floats(Row r, String column) {
        List<Float> l = r.getList(r.fieldIndex(column));
        float[] a = new float[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }

    @Test
    void everyClipEqualsSparksReadOfTheSameFiles() {
        assertEquals(6, sparkRows.size(), "2 videos x 3 clips");
        assertEquals(sparkRows.keySet(), ours.keySet());
        for (String k : sparkRows.keySet()) {
            Row r = sparkRows.get(k);
            ClipCoordinates c = ours.get(k);
            assertEquals(r.getString(r.fieldIndex("split")), c.split(), k);
            assertEquals(r.getString(r.fieldIndex("source_path")), c.sourcePath(), k);
            assertEquals(r.getString(r.fieldIndex("config_hash")), c.configHash(), k);
            assertArrayEquals(ints(r, "frame_indices"), c.frameIndices(), k);
            assertArrayEquals(ints(r, "coords_t"), c.t(), k);
            assertArrayEquals(ints(r, "coords_row"), c.row(), k);
            assertArrayEquals(ints(r, "coords_col"), c.col(), k);
            assertArrayEquals(ints(r, "token_index"), c.tokenIndex(), k);
            assertArrayEquals(ints(r, "tokens_per_bin"), c.stats().tokensPerBin(), k);
            assertEquals(r.getInt(r.fieldIndex("real_gazes")), c.stats().realGazes(), k);
            assertEquals(r.getDouble(r.fieldIndex("keep_ratio")), c.stats().keepRatio(), k);
            assertEquals(r.getInt(r.fieldIndex("grid_h")), c.geometry().rows(), k);
            assertArrayEquals(ints(r, "fix_frame"), c.fixations().frame(), k);
            assertArrayEquals(ints(r, "fix_scale"), c.fixations().scale(), k);
            assertArrayEquals(floats(r, "fix_x0"), c.fixations().x0(), k);
            assertArrayEquals(floats(r, "fix_y1"), c.fixations().y1(), k);
            assertEquals(r.getInt(r.fieldIndex("real_gazes")), c.fixations().count(), k);
        }
        assertEquals(Set.of("train", "val"), ours.values().stream().map(ClipCoordinates::split)
                .collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void withoutFixationsTheFixColumnsAreNotRead() throws Exception {
        List<ClipCoordinates> clips = ClipParquetReader.readAll(out.resolve("clips").toString(), new Configuration(),
                false);
        assertEquals(6, clips.size());
        assertNull(clips.get(0).fixations());
    }

    @Test
    void batchConcatenatesClipsWithTheirPositionAsBatchColumn() {
        List<ClipCoordinates> clips = new ArrayList<>(ours.values()).subList(1, 4);
        ClipBatch batch = ClipBatch.of(clips);
        int n = clips.stream().mapToInt(ClipCoordinates::count).sum();
        int[] expected = new int[4 * n];
        int[] expectedIndex = new int[n];
        int k = 0;
        for (int b = 0; b < clips.size(); b++) {
            ClipCoordinates c = clips.get(b);
            for (int i = 0; i < c.count(); i++, k++) {
                expected[4 * k] = b;
                expected[4 * k + 1] = c.t()[i];
                expected[4 * k + 2] = c.row()[i];
                expected[4 * k + 3] = c.col()[i];
                expectedIndex[k] = c.tokenIndex()[i];
            }
        }
        assertArrayEquals(expected, batch.flat());
        assertArrayEquals(expectedIndex, batch.tokenIndices());
        assertArrayEquals(new int[] {0, clips.get(0).count(), clips.get(0).count() + clips.get(1).count(), n},
                batch.offsets());
        assertArrayEquals(Arrays.copyOfRange(expected, 4, 8), batch.toArray()[1]);
        INDArray a = batch.toINDArray();
        assertArrayEquals(new long[] {n, 4}, a.shape());
        assertEquals(DataType.INT32, a.dataType());
        assertArrayEquals(expected, a.ravel().toIntVector());
        assertArrayEquals(batch.coordinates().all().flatIndices(), batch.tokenIndices());
    }

    @Test
    void aBatchOfTwoGridsIsRefusedNamingTheClip() {
        ClipCoordinates a = ours.values().iterator().next();
        ClipCoordinates other = new ClipCoordinates("x", "x", null, 0, "h", "patch-diff", new int[32], 1, 1,
                new dev.autogaze.readout.VideoGeometry(32, 224, 224, 2, 16), new int[0], new int[0], new int[0],
                new int[0], new ClipStats(0, 0, 0, new int[16], 0), null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClipBatch.of(List.of(a, other)));
        assertTrue(e.getMessage().startsWith("clip 1 (x#0) has VideoGeometry[frames=32"), e.getMessage());
    }

    @Test
    void anotherSchemaVersionIsRefusedNamingFileAndVersion() throws Exception {
        Path bad = Files.createTempDirectory("autogaze-v2").resolve("clips");
        spark.read().parquet(out.resolve("clips").toString()).withColumn("schema_version", lit(3))
                .write().parquet(bad.toString());
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> ClipParquetReader.readAll(bad.toString(), new Configuration(), false));
        assertTrue(e.getMessage().contains("has schema_version 3; this reader reads schema_version 1 to 2"), e.getMessage());
        // the file as the file system lists it: qualified with its scheme
        assertTrue(e.getMessage().startsWith("file:" + bad + "/part-"), e.getMessage());
    }

    @Test
    void aMissingColumnIsNamed() throws Exception {
        Path bad = Files.createTempDirectory("autogaze-nocol").resolve("clips");
        spark.read().parquet(out.resolve("clips").toString()).drop("coords_row").write().parquet(bad.toString());
        OutputFormatException e = assertThrows(OutputFormatException.class,
                () -> ClipParquetReader.readAll(bad.toString(), new Configuration(), false));
        assertTrue(e.getMessage().endsWith("column coords_row missing; is this an autogaze clips file?"),
                e.getMessage());
    }

    @Test
    void aMissingFolderIsNamed() {
        FileNotFoundException e = assertThrows(FileNotFoundException.class,
                () -> ClipParquetReader.open("/nonexistent/out/clips", new Configuration(), false));
        assertEquals("no clips output at /nonexistent/out/clips", e.getMessage());
    }

    @Test
    void errorRowsAndSummaryAreRead() throws Exception {
        OutputFolder folder = new OutputFolder(out.toString(), new Configuration());
        List<ErrorRow> errors = folder.errors();
        assertEquals(1, errors.size());
        assertEquals("bad", errors.get(0).videoId());
        assertEquals(spark.read().parquet(out.resolve("errors").toString()).first().getString(3), errors.get(0).stage());
        assertEquals(6, folder.summary().get("counts").get("clips").asInt());
    }

    @Test
    void splitDirectoryNamesAreUnescaped() {
        assertEquals("a b/c", ClipParquetReader.directorySplit(new org.apache.hadoop.fs.Path("/o/split=a%20b%2Fc/p.parquet")));
        assertNull(ClipParquetReader.directorySplit(new org.apache.hadoop.fs.Path("/o/split=__HIVE_DEFAULT_PARTITION__/p.parquet")));
        assertNull(ClipParquetReader.directorySplit(new org.apache.hadoop.fs.Path("/o/clips/p.parquet")));
    }
}
