package dev.autogaze.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ND4J engine's cache bookkeeping and host copies, checked without a model. */
class Nd4jKvCacheTest {

    @Test
    void keyMaskIsKeptOnTheHostAndCopiedToTheDeviceAsAdditiveBias() {
        Nd4jKvCache cache = new Nd4jKvCache(2, 1, 1, 4, 5);
        cache.setMask(0, 1, true);
        cache.setMask(1, 3, false);
        assertTrue(cache.mask(0, 1));
        assertFalse(cache.mask(1, 3));
        cache.syncBias();
        assertEquals(0f, cache.deviceBias.getFloat(0, 0, 1));
        assertEquals(Float.NEGATIVE_INFINITY, cache.deviceBias.getFloat(1, 0, 3));
        cache.setMask(1, 3, true);
        cache.syncBias();
        assertEquals(0f, cache.deviceBias.getFloat(1, 0, 3));
    }

    @Test
    void badIndicesAndOverflowAreRejectedNamingTheValue() {
        Nd4jKvCache cache = new Nd4jKvCache(2, 1, 1, 4, 5);
        assertEquals("cache index 5 is outside [0, 5)",
                assertThrows(IndexOutOfBoundsException.class, () -> cache.setMask(0, 5, true)).getMessage());
        assertEquals("batch row 2 is outside [0, 2)",
                assertThrows(IndexOutOfBoundsException.class, () -> cache.setMask(2, 0, true)).getMessage());
        assertEquals(0, cache.append(3));
        assertEquals("KV cache overflow: 3 + 3 tokens exceed capacity 5",
                assertThrows(IllegalStateException.class, () -> cache.append(3)).getMessage());
        cache.reset();
        assertEquals(0, cache.length());
        assertEquals("KV cache needs batch > 0 and capacity > 0, got batch 0, capacity 5",
                assertThrows(IllegalArgumentException.class, () -> new Nd4jKvCache(0, 1, 1, 4, 5)).getMessage());
    }

    @Test
    void generatorFreesTheOldCacheWhenABatchNeedsANewOne(@TempDir Path tmp) throws IOException {
        AutoGazeWeights w = AutoGazeWeights.load(RandomModels.tiny(tmp.resolve("tiny"), 3));
        AutoGazeConfig c = w.config();
        try (Nd4jDecoder decoder = new Nd4jDecoder(w)) {
            GazeGenerator generator = new GazeGenerator(decoder, c.layout());
            generator.generate(RandomModels.visionEmbeds(c, 2, 2, 1), 2, 2, GazeOptions.defaults());
            Nd4jKvCache first = (Nd4jKvCache) generator.cache();
            generator.generate(RandomModels.visionEmbeds(c, 2, 2, 1), 2, 2, GazeOptions.defaults());
            assertSame(first, generator.cache(), "same shape: the cache is reused");
            generator.generate(RandomModels.visionEmbeds(c, 1, 2, 1), 1, 2, GazeOptions.defaults());
            assertNotSame(first, generator.cache());
            assertTrue(first.keys[0].wasClosed() && first.values[1].wasClosed() && first.deviceBias.wasClosed());
            assertFalse(((Nd4jKvCache) generator.cache()).keys[0].wasClosed());
        }
    }

    @Test
    void hostCopiesRoundTripAndRefuseOffsetViews() {
        INDArray a = Nd4j.create(DataType.FLOAT, 6);
        HostCopy.upload(new float[] {9, 1, 2, 3, 9}, 1, 3, a);
        float[] back = new float[5];
        HostCopy.download(a, back, 2, 3);
        assertArrayEquals(new float[] {0, 0, 1, 2, 3}, back);
        assertEquals(3f, a.getFloat(2));
        INDArray view = a.get(NDArrayIndex.interval(2, 6));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HostCopy.upload(new float[4], 0, 4, view));
        assertTrue(e.getMessage().startsWith("host copy of 4 floats needs a c-order array at offset 0"), e.getMessage());
    }
}
