package dev.autogaze.readout;

import static dev.autogaze.readout.ScaleLayoutTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class VideoCoordinatesTest {

    private static final VideoGeometry G = new VideoGeometry(4, 224, 224, 2, 16);

    @Test
    void accessorsFlatIndexAndArraysAgree() {
        VideoCoordinates c = new VideoCoordinates(G, new int[] {0, 1, 2, 3, 0, 0, 13, 13});
        assertEquals(2, c.count());
        assertArrayEquals(new int[][] {{0, 1, 2, 3}, {0, 0, 13, 13}}, c.toArray());
        // ((1·14)+2)·14+3 = 227, ((0·14)+13)·14+13 = 195
        assertArrayEquals(new int[] {227, 195}, c.flatIndices());
        assertEquals(3, c.col(0));
        assertEquals(1, c.temporal(0));
    }

    @Test
    void indArrayIsInt32OfShapeNBy4() {
        VideoCoordinates c = new VideoCoordinates(G, new int[] {1, 1, 2, 3, 1, 0, 13, 12});
        INDArray a = c.toINDArray();
        assertEquals(DataType.INT32, a.dataType());
        assertArrayEquals(new long[] {2, 4}, a.shape());
        assertEquals(12, a.getInt(1, 3));
        assertEquals(2, a.getInt(0, 2));
        INDArray empty = new VideoCoordinates(G, new int[0]).toINDArray();
        assertArrayEquals(new long[] {0, 4}, empty.shape());
        assertEquals(DataType.INT32, empty.dataType());
    }

    @Test
    void coordinatesOutsideTheGeometryAreRejected() {
        assertMessage("coordinate 0 = [0, 2, 0, 0] is outside 2 bins x 14x14",
                () -> new VideoCoordinates(G, new int[] {0, 2, 0, 0}));
        assertMessage("not a multiple of 4", () -> new VideoCoordinates(G, new int[] {0, 0, 0}));
    }

    @Test
    void batchAdapterConcatenatesRowsWithTheBatchColumnSetToTheRow() {
        long[][] pos = {{69, 265 + 264}, {530, 265 + 82}};
        boolean[][] pad = {{false, false}, {true, false}};
        GeneratedGaze g = new GeneratedGaze(pos, pad, new int[] {1, 1}, null, 265);
        VideoGeometry geo = new VideoGeometry(2, 224, 224, 2, 16);
        BatchCoordinates b = Readout.videoCoordinates(g, ScaleLayout.released(), geo, ReadoutOptions.defaults(),
                VideoTokenOptions.defaults());
        assertArrayEquals(new int[][] {{0, 0, 0, 0}, {0, 0, 13, 13}, {1, 0, 0, 13}}, b.all().toArray());
        assertArrayEquals(new long[] {3, 4}, b.toINDArray().shape());
        assertEquals(1, b.row(1).count());
        // the same through fixation traces
        List<FixationTrace> traces = Readout.fixations(g, ScaleLayout.released(),
                SourceFrame.identity(ScaleLayout.released()));
        assertEquals(b, Readout.videoCoordinates(traces, ScaleLayout.released(), geo, ReadoutOptions.defaults(),
                VideoTokenOptions.defaults()));
        assertEquals(Readout.imageTokens(g, ScaleLayout.released(), geo.frameGrid(), ReadoutOptions.defaults()),
                Readout.imageTokens(traces, ScaleLayout.released(), geo.frameGrid(), ReadoutOptions.defaults()));
    }

    @Test
    void batchRowsMustCarryTheirOwnIndex() {
        VideoCoordinates wrong = new VideoCoordinates(G, new int[] {1, 0, 0, 0});
        assertMessage("row 0 holds a coordinate of batch 1", () -> new BatchCoordinates(G, List.of(wrong)));
    }
}
