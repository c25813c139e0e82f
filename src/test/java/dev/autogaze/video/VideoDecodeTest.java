package dev.autogaze.video;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VideoDecodeTest {

    @TempDir
    Path dir;

    @Test
    void losslessFfv1FramesDecodeBackExactlyWithTheirIndicesAndTimestamps() throws Exception {
        SampleVideos.Spec spec = TestVideos.spec("lossless", 96, 64, 10, 20, SampleVideos.Codec.FFV1);
        Path file = TestVideos.write(dir, spec);
        List<DecodedClip> clips = TestVideos.decodeAll(file, SamplingOptions.defaults().withClipLength(4));
        assertEquals(3, clips.size());
        int expectedIndex = 0;
        for (DecodedClip c : clips) {
            assertEquals(96, c.sourceWidth());
            assertEquals(64, c.sourceHeight());
            for (int i = 0; i < 4 - c.paddedFrames(); i++) {
                assertEquals(expectedIndex, c.frameIndices()[i]);
                assertEquals(expectedIndex / 20.0, c.timestampsSec()[i], 1e-3);
                assertArrayEquals(SampleVideos.frame(spec, expectedIndex), c.frames().frames()[i],
                        "frame " + expectedIndex);
                expectedIndex++;
            }
        }
        assertEquals(10, expectedIndex);
        DecodedClip last = clips.get(2);
        assertEquals(2, last.paddedFrames());
        assertArrayEquals(new int[]{8, 9, 9, 9}, last.frameIndices());
        assertArrayEquals(last.frames().frames()[1], last.frames().frames()[3]);
    }

    @Test
    void lossyH264AndVp9DecodeCloseToTheGeneratedFrames() throws Exception {
        for (SampleVideos.Codec codec : new SampleVideos.Codec[]{SampleVideos.Codec.H264, SampleVideos.Codec.VP9}) {
            SampleVideos.Spec spec = TestVideos.spec("lossy", 160, 120, 12, 24, codec);
            Path file = TestVideos.write(dir, spec);
            List<DecodedClip> clips = TestVideos.decodeAll(file, SamplingOptions.defaults().withClipLength(6));
            assertEquals(2, clips.size(), codec.name());
            for (DecodedClip c : clips) {
                for (int i = 0; i < 6; i++) {
                    int index = c.clipIndex() * 6 + i;
                    assertEquals(index, c.frameIndices()[i]);
                    assertEquals(index / 24.0, c.timestampsSec()[i], 1.5e-3, codec + " frame " + index);
                    double err = TestVideos.meanAbsDiff(SampleVideos.frame(spec, index), c.frames().frames()[i]);
                    assertTrue(err < 12, codec + " frame " + index + " mean abs error " + err);
                    if (index > 0) {
                        // the right frame, not a neighbour: closer to its own source than to the previous one
                        double prev = TestVideos.meanAbsDiff(SampleVideos.frame(spec, index - 1), c.frames().frames()[i]);
                        assertTrue(err < prev, codec + " frame " + index + ": " + err + " vs previous " + prev);
                    }
                }
            }
        }
    }

    @Test
    void pureRedDecodesWithRedInTheFirstChannel() throws Exception {
        Path file = TestVideos.solid(dir.resolve("red.mp4"), 255, 0, 0, "mp4", "libopenh264");
        RgbClip clip = TestVideos.decodeAll(file, SamplingOptions.defaults().withClipLength(1)).get(0).frames();
        assertTrue(clip.sample(0, 20, 30, 0) > 230, "R " + clip.sample(0, 20, 30, 0));
        assertTrue(clip.sample(0, 20, 30, 1) < 25, "G " + clip.sample(0, 20, 30, 1));
        assertTrue(clip.sample(0, 20, 30, 2) < 25, "B " + clip.sample(0, 20, 30, 2));
    }

    @Test
    void targetFpsDecodeMatchesThePlanFromTheScan() throws Exception {
        Path file = TestVideos.write(dir, TestVideos.spec("vp9", 64, 48, 48, 24, SampleVideos.Codec.VP9));
        SamplingOptions options = SamplingOptions.defaults().withTargetFps(10).withClipLength(8);
        ClipPlan plan = VideoScan.of(file, file.toString(), options).plan(options, 0, Double.POSITIVE_INFINITY);
        List<DecodedClip> clips = TestVideos.decodeAll(file, options);
        assertEquals(plan.clips().size(), clips.size());
        for (int i = 0; i < clips.size(); i++) {
            assertArrayEquals(plan.clips().get(i).frameIndices(), clips.get(i).frameIndices());
            assertArrayEquals(plan.clips().get(i).timestampsSec(), clips.get(i).timestampsSec());
        }
        assertArrayEquals(new int[]{0, 3, 5, 8, 10, 12, 15, 17}, clips.get(0).frameIndices());
    }

    @Test
    void realFootageDecodesToFourClipsOfSixteenFramesAtTwentyFiveFps() throws Exception {
        Path file = Path.of(System.getProperty("autogaze.shared"), "samples", "example_input.mp4");
        assertTrue(Files.isRegularFile(file), "missing shared sample " + file);
        List<DecodedClip> clips = TestVideos.decodeAll(file, SamplingOptions.defaults());
        assertEquals(4, clips.size());
        for (DecodedClip c : clips) {
            assertEquals(448, c.frames().width());
            assertEquals(448, c.frames().height());
            assertEquals(0, c.paddedFrames());
            for (int i = 0; i < 16; i++) {
                assertEquals(c.clipIndex() * 16 + i, c.frameIndices()[i]);
                assertEquals(c.frameIndices()[i] * 0.04, c.timestampsSec()[i], 1e-6);
            }
        }
        // real footage, not a blank: the frames vary in space and in time
        byte[] f0 = clips.get(0).frames().frames()[0];
        byte[] f63 = clips.get(3).frames().frames()[15];
        assertTrue(TestVideos.meanAbsDiff(f0, f63) > 1.0);
    }

    @Test
    void windowAndClipLimitStopDecodingEarly() throws Exception {
        Path file = Path.of(System.getProperty("autogaze.shared"), "samples", "example_input.mp4");
        VideoRef ref = VideoRef.of(file.toString()).withWindow(1.0, 2.0);
        List<DecodedClip> clips = TestVideos.decodeAll(ref, file, SamplingOptions.defaults());
        assertEquals(2, clips.size());
        assertEquals(25, clips.get(0).frameIndices()[0]);
        assertArrayEquals(new int[]{41, 42, 43, 44, 45, 46, 47, 48, 49, 49, 49, 49, 49, 49, 49, 49},
                clips.get(1).frameIndices());
        try (ClipStream stream = ClipStream.open(VideoRef.of(file.toString()), file,
                SamplingOptions.defaults().withMaxClipsPerVideo(1))) {
            assertEquals(0, stream.next().clipIndex());
            assertEquals(null, stream.next());
            assertEquals(16, stream.decodedFrames());
        }
    }

    @Test
    void recycledFrameArraysAreReusedAndRefilledExactly() throws Exception {
        SampleVideos.Spec spec = TestVideos.spec("recycle", 64, 48, 12, 10, SampleVideos.Codec.FFV1);
        Path file = TestVideos.write(dir, spec);
        try (ClipStream clips = ClipStream.open(VideoRef.of(file.toString()), file,
                SamplingOptions.defaults().withClipLength(4))) {
            DecodedClip first = clips.next();
            Set<byte[]> firstArrays = Collections.newSetFromMap(new IdentityHashMap<>());
            firstArrays.addAll(List.of(first.frames().frames()));
            clips.recycle(first);
            DecodedClip second = clips.next();
            for (int i = 0; i < 4; i++) {
                assertTrue(firstArrays.contains(second.frames().frames()[i]), "frame " + i + " reuses an array");
                assertArrayEquals(SampleVideos.frame(spec, 4 + i), second.frames().frames()[i]);
            }
        }
    }

    @Test
    void anotherVideoOfTheSameFrameSizeReusesRecycledArrays() throws Exception {
        // a size no other test decodes, so that only this test's arrays are in the JVM's pool at that size
        SampleVideos.Spec a = TestVideos.spec("pool-a", 72, 40, 4, 10, SampleVideos.Codec.FFV1);
        SampleVideos.Spec b = TestVideos.spec("pool-b", 72, 40, 4, 10, SampleVideos.Codec.FFV1);
        Path fileA = TestVideos.write(dir, a);
        Path fileB = TestVideos.write(dir, b);
        Set<byte[]> arraysOfA = Collections.newSetFromMap(new IdentityHashMap<>());
        try (ClipStream clips = ClipStream.open(VideoRef.of(fileA.toString()), fileA,
                SamplingOptions.defaults().withClipLength(4))) {
            DecodedClip only = clips.next();
            arraysOfA.addAll(List.of(only.frames().frames()));
            clips.recycle(only); // after its video's decoding is over, as a batch's clips come back
        }
        try (ClipStream clips = ClipStream.open(VideoRef.of(fileB.toString()), fileB,
                SamplingOptions.defaults().withClipLength(4))) {
            DecodedClip first = clips.next();
            for (int i = 0; i < 4; i++) {
                assertTrue(arraysOfA.contains(first.frames().frames()[i]), "frame " + i + " reuses an array of A");
                assertArrayEquals(SampleVideos.frame(b, i), first.frames().frames()[i]);
            }
        }
    }

    @Test
    void recycleIsIgnoredWhenClipsOverlap() throws Exception {
        SampleVideos.Spec spec = TestVideos.spec("overlap", 64, 48, 8, 10, SampleVideos.Codec.FFV1);
        Path file = TestVideos.write(dir, spec);
        try (ClipStream clips = ClipStream.open(VideoRef.of(file.toString()), file,
                SamplingOptions.defaults().withClipLength(4).withClipStride(2))) {
            DecodedClip first = clips.next();
            clips.recycle(first);
            DecodedClip second = clips.next();
            assertArrayEquals(new int[]{2, 3, 4, 5}, second.frameIndices());
            assertTrue(second.frames().frames()[0] == first.frames().frames()[2], "overlapping frames are shared");
            for (int i = 0; i < 4; i++) {
                assertArrayEquals(SampleVideos.frame(spec, 2 + i), second.frames().frames()[i]);
            }
        }
    }

    @Test
    void strideDecodeSkipsConversionButKeepsExactFrames() throws Exception {
        SampleVideos.Spec spec = TestVideos.spec("stride", 64, 48, 20, 10, SampleVideos.Codec.FFV1);
        Path file = TestVideos.write(dir, spec);
        List<DecodedClip> clips = TestVideos.decodeAll(file,
                SamplingOptions.defaults().withFrameStride(3).withClipLength(7));
        assertEquals(1, clips.size());
        assertArrayEquals(new int[]{0, 3, 6, 9, 12, 15, 18}, clips.get(0).frameIndices());
        for (int i = 0; i < 7; i++) {
            assertArrayEquals(SampleVideos.frame(spec, 3 * i), clips.get(0).frames().frames()[i]);
        }
    }
}
