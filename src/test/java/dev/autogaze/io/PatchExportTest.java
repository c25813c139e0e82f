package dev.autogaze.io;

import dev.autogaze.job.JobOptions;
import dev.autogaze.model.PillowBilinear;
import dev.autogaze.readout.TokenPatches;
import dev.autogaze.video.ClipStream;
import dev.autogaze.video.DecodedClip;
import dev.autogaze.video.RgbClip;
import dev.autogaze.video.VideoRef;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --emit-patches end to end: the job's patches column read back against frames decoded and resized here. */
class PatchExportTest {

    private static List<ClipCoordinates> read(Path out, boolean patches) throws Exception {
        return ClipParquetReader.readAll(out.resolve("clips").toString(), new Configuration(), false, patches);
    }

    @Test
    void everyTokensPixelsAreTheResizedClipFramesAtItsCoordinates() throws Exception {
        Path out = JobOutputs.withPatches();
        Path video = out.resolveSibling("videos").resolve("shapes_320x240_h264.mp4");
        List<ClipCoordinates> clips = read(out, true);
        assertEquals(3, clips.size());
        JobOptions o = JobOptions.defaults(video.toString(), "unused");
        int checked = 0;
        try (ClipStream s = ClipStream.open(VideoRef.of(video.toString()), video, o.sampling())) {
            for (DecodedClip d = s.next(); d != null; d = s.next()) {
                ClipCoordinates c = clips.get(d.clipIndex());
                assertEquals(d.clipIndex(), c.clipIndex());
                RgbClip f = d.frames();
                TokenPatches p = c.patches();
                assertEquals(c.count(), p.count());
                for (int i = 0; i < c.count(); i++) {
                    for (int k = 0; k < 2; k++) {
                        byte[] frame = PillowBilinear.resize(f.frames()[c.t()[i] * 2 + k], f.width(), f.height(), 224,
                                224);
                        for (int y = 0; y < 16; y++) {
                            for (int x = 0; x < 16; x++) {
                                int at = ((c.row()[i] * 16 + y) * 224 + c.col()[i] * 16 + x) * 3;
                                for (int ch = 0; ch < 3; ch++) {
                                    assertEquals(frame[at + ch] & 0xFF, p.sample(i, k, y, x, ch), c + " token " + i);
                                }
                            }
                        }
                    }
                    checked++;
                }
            }
        }
        assertEquals(clips.stream().mapToInt(ClipCoordinates::count).sum(), checked);
    }

    @Test
    void aBatchsPatchesAreAlignedWithItsCoordinateRows() throws Exception {
        List<ClipCoordinates> clips = read(JobOutputs.withPatches(), true);
        ClipBatch batch = ClipBatch.of(List.of(clips.get(2), clips.get(0)));
        INDArray coords = batch.toINDArray();
        INDArray pixels = batch.patchesINDArray();
        int n = (int) coords.size(0);
        assertEquals(DataType.UINT8, pixels.dataType());
        assertArrayEquals(new long[] {n, 2, 16, 16, 3}, pixels.shape());
        int[] offsets = batch.offsets();
        for (int row : new int[] {0, offsets[1] - 1, offsets[1], n - 1}) {
            int b = coords.getInt(row, 0);
            ClipCoordinates clip = batch.clips().get(b);
            int i = row - offsets[b];
            assertEquals(clip.t()[i], coords.getInt(row, 1));
            for (int[] at : new int[][] {{0, 0, 0, 0}, {1, 15, 15, 2}, {1, 7, 3, 1}}) {
                assertEquals(clip.patches().sample(i, at[0], at[1], at[2], at[3]),
                        pixels.getInt(row, at[0], at[1], at[2], at[3]), "row " + row + " " + Arrays.toString(at));
            }
        }
    }

    @Test
    void withoutEmitPatchesTheColumnIsNullAndAskingForPatchesSaysSo() throws Exception {
        Path out = JobOutputs.sample();
        SparkSession spark = JobOutputs.spark();
        try {
            List<Row> rows = spark.read().parquet(out.resolve("clips").toString()).select("patches").collectAsList();
            assertTrue(rows.size() > 0);
            rows.forEach(r -> assertTrue(r.isNullAt(0)));
        } finally {
            spark.stop();
        }
        assertNull(read(out, false).get(0).patches());
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> read(out, true));
        assertTrue(e.getMessage().endsWith("has no patches; its run did not use --emit-patches"), e.getMessage());
    }

    @Test
    void aVersionOneOutputIsStillReadAndHasNoPatches(@TempDir Path dir) throws Exception {
        Path out = JobOutputs.sample();
        Path v1 = dir.resolve("v1");
        SparkSession spark = JobOutputs.spark();
        try {
            spark.read().parquet(out.resolve("clips").toString()).drop("patches")
                    .withColumn("schema_version", lit(1)).write().partitionBy("split")
                    .parquet(v1.resolve("clips").toString());
            spark.read().parquet(out.resolve("errors").toString()).withColumn("schema_version", lit(1)).write().parquet(v1.resolve("errors").toString());
        } finally {
            spark.stop();
        }
        List<String> now = new ArrayList<>();
        for (ClipCoordinates c : read(out, false)) {
            now.add(c.videoId() + "#" + c.clipIndex() + " " + c.split() + " " + Arrays.toString(c.tokenIndex()));
        }
        List<String> old = new ArrayList<>();
        for (ClipCoordinates c : read(v1, false)) {
            old.add(c.videoId() + "#" + c.clipIndex() + " " + c.split() + " " + Arrays.toString(c.tokenIndex()));
        }
        assertEquals(now.stream().sorted().toList(), old.stream().sorted().toList());
        assertEquals(new OutputFolder(out.toString(), new Configuration()).errors(),
                new OutputFolder(v1.toString(), new Configuration()).errors());
        OutputFormatException e = assertThrows(OutputFormatException.class, () -> read(v1, true));
        assertTrue(e.getMessage().endsWith(": no patches column (schema_version 1, written before patch export); "
                + "rerun the job with --emit-patches"), e.getMessage());
    }
}
