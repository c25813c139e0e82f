package dev.autogaze.video;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of bad input ends in a typed error (path, stage, message) or the documented result. */
class BadInputTest {

    @TempDir
    Path dir;

    private VideoDecodeException failure(Path file, SamplingOptions options) {
        VideoDecodeException e = assertThrows(VideoDecodeException.class, () -> TestVideos.decodeAll(file, options));
        assertEquals(file.toString(), e.path());
        return e;
    }

    private VideoDecodeException failure(Path file) {
        return failure(file, SamplingOptions.defaults());
    }

    private static void assertContains(String expected, String actual) {
        assertTrue(actual.contains(expected), "expected '" + expected + "' in: " + actual);
    }

    @Test
    void zeroByteFileFailsAtOpen() throws Exception {
        Path file = Files.createFile(dir.resolve("empty.mp4"));
        VideoDecodeException e = failure(file);
        assertEquals(DecodeStage.OPEN, e.stage());
        assertEquals("file is empty (0 bytes)", e.detail());
    }

    @Test
    void missingFileFailsAtOpen() {
        VideoDecodeException e = failure(dir.resolve("absent.mp4"));
        assertEquals(DecodeStage.OPEN, e.stage());
        assertContains("absent.mp4", e.detail());
    }

    @Test
    void randomBytesAndTextNamedMp4FailAtOpen() throws Exception {
        byte[] noise = new byte[50_000];
        new SplittableRandom(5).nextBytes(noise);
        Path random = Files.write(dir.resolve("noise.mp4"), noise);
        Path text = Files.writeString(dir.resolve("notes.mp4"), "this is not a video\n".repeat(100));
        for (Path file : List.of(random, text)) {
            VideoDecodeException e = failure(file);
            assertEquals(DecodeStage.OPEN, e.stage(), e.getMessage());
            assertContains("FFmpeg cannot open it as a video container", e.detail());
        }
    }

    @Test
    void truncatedMp4WithoutItsIndexFailsAtOpen() throws Exception {
        Path good = TestVideos.write(dir, TestVideos.spec("good", 160, 120, 24, 24, SampleVideos.Codec.H264));
        byte[] bytes = Files.readAllBytes(good);
        // FFmpeg writes the moov index at the end of an MP4: half a file has none
        Path cut = Files.write(dir.resolve("cut.mp4"), Arrays.copyOf(bytes, bytes.length / 2));
        VideoDecodeException e = failure(cut);
        assertEquals(DecodeStage.OPEN, e.stage(), e.getMessage());
    }

    @Test
    void truncatedMatroskaYieldsTheFramesBeforeTheCut() throws Exception {
        SampleVideos.Spec spec = TestVideos.spec("good", 64, 48, 40, 20, SampleVideos.Codec.FFV1);
        Path good = TestVideos.write(dir, spec);
        byte[] bytes = Files.readAllBytes(good);
        Path cut = Files.write(dir.resolve("cut.mkv"), Arrays.copyOf(bytes, bytes.length / 2));
        List<DecodedClip> clips = TestVideos.decodeAll(cut, SamplingOptions.defaults().withClipLength(4));
        int frames = 0;
        for (DecodedClip c : clips) {
            for (int i = 0; i < 4 - c.paddedFrames(); i++) {
                assertArrayEquals(SampleVideos.frame(spec, frames), c.frames().frames()[i], "frame " + frames);
                frames++;
            }
        }
        assertTrue(frames > 5 && frames < 40, "decoded " + frames + " of 40 frames");
    }

    @Test
    void corruptMiddleNeverCrashesOrHangs() throws Exception {
        Path good = TestVideos.write(dir, TestVideos.spec("good", 160, 120, 48, 24, SampleVideos.Codec.H264));
        byte[] bytes = Files.readAllBytes(good);
        SplittableRandom rnd = new SplittableRandom(9);
        for (int i = bytes.length / 4; i < bytes.length * 3 / 4; i += 7) {
            bytes[i] = (byte) rnd.nextInt(256);
        }
        Path bad = Files.write(dir.resolve("corrupt.mp4"), bytes);
        SamplingOptions options = SamplingOptions.defaults().withDecodeTimeout(Duration.ofSeconds(20));
        try {
            List<DecodedClip> clips = TestVideos.decodeAll(bad, options);
            // documented result: damaged frames come out with artefacts, the clip structure stays intact
            assertTrue(!clips.isEmpty());
            assertEquals(16, clips.get(0).clipLength());
        } catch (VideoDecodeException e) {
            assertTrue(e.stage() == DecodeStage.DECODE || e.stage() == DecodeStage.OPEN, e.getMessage());
        }
    }

    @Test
    void audioOnlyFileFailsAtProbeListingItsStreams() throws Exception {
        Path file = TestVideos.audioOnly(dir.resolve("tone.mkv"));
        VideoDecodeException e = failure(file);
        assertEquals(DecodeStage.PROBE, e.stage());
        assertContains("no video stream (streams: [#0 audio pcm_s16le 16000 Hz])", e.detail());
    }

    @Test
    void unknownCodecFailsAtProbe() throws Exception {
        Path good = TestVideos.write(dir, TestVideos.spec("good", 64, 48, 4, 10, SampleVideos.Codec.FFV1));
        byte[] bytes = Files.readAllBytes(good);
        String latin = new String(bytes, StandardCharsets.ISO_8859_1);
        // FFmpeg 7.1+ writes FFV1 under its own Matroska codec id (before: V_MS/VFW/FOURCC plus a FourCC)
        int at = latin.indexOf("V_FFV1");
        assertTrue(at > 0, "codec id V_FFV1 not found in the Matroska header");
        // make the track's codec id unknown to FFmpeg (same length, so the EBML sizes stay valid)
        for (int i = 2; i < 6; i++) {
            bytes[at + i] = 'Q';
        }
        Path file = Files.write(dir.resolve("unknown.mkv"), bytes);
        VideoDecodeException e = failure(file);
        assertEquals(DecodeStage.PROBE, e.stage(), e.getMessage());
        assertContains("no video stream of a codec FFmpeg knows (streams: [#0 video none 64x48])", e.detail());
    }

    @Test
    void frameLargerThanTheLimitFailsAtProbeNamingTheSize() throws Exception {
        Path file = TestVideos.write(dir, TestVideos.spec("big", 320, 240, 2, 10, SampleVideos.Codec.FFV1));
        VideoDecodeException e = failure(file, SamplingOptions.defaults().withMaxFramePixels(100 * 100));
        assertEquals(DecodeStage.PROBE, e.stage());
        assertEquals("video size 320x240 (76800 pixels) exceeds the limit of 10000 pixels", e.detail());
    }

    @Test
    void oneFrameVideoRepeatsItsFrameOrFailsAtSampleUnderDrop() throws Exception {
        SampleVideos.Spec spec = TestVideos.spec("single", 64, 48, 1, 10, SampleVideos.Codec.FFV1);
        Path file = TestVideos.write(dir, spec);
        List<DecodedClip> clips = TestVideos.decodeAll(file, SamplingOptions.defaults());
        assertEquals(1, clips.size());
        assertEquals(15, clips.get(0).paddedFrames());
        assertArrayEquals(new int[16], clips.get(0).frameIndices());
        assertArrayEquals(SampleVideos.frame(spec, 0), clips.get(0).frames().frames()[15]);

        VideoDecodeException e = failure(file, SamplingOptions.defaults().withLastClipPolicy(LastClipPolicy.DROP));
        assertEquals(DecodeStage.SAMPLE, e.stage());
        assertContains("only 1 frames sampled", e.detail());
        assertContains("fewer than clip length 16, and the last-clip policy is DROP", e.detail());
    }

    @Test
    void variableFrameRateKeepsTheRealTimestampsAndTargetFpsFollowsThem() throws Exception {
        // the recorder rounds timestamps to its frame rate's time base: 1000 "fps" gives 1 ms steps
        SampleVideos.Spec spec = TestVideos.spec("vfr", 64, 48, 8, 1000, SampleVideos.Codec.FFV1);
        long[] us = {0, 40_000, 80_000, 300_000, 320_000, 340_000, 700_000, 1_000_000};
        Path file = dir.resolve("vfr.mkv");
        SampleVideos.write(file, spec, us);
        VideoScan scan = VideoScan.of(file, file.toString(), SamplingOptions.defaults());
        assertTrue(scan.variableFrameRate());
        assertArrayEquals(new double[]{0, 0.04, 0.08, 0.3, 0.32, 0.34, 0.7, 1.0}, scan.timestampsSec(), 1e-3);
        // ticks every 0.25 s: 0 -> frame 0, 0.25 -> frame 3 (0.3), 0.5 -> frame 6 (0.7), 0.75 -> frame 7 (1.0)
        List<DecodedClip> clips = TestVideos.decodeAll(file,
                SamplingOptions.defaults().withTargetFps(4).withClipLength(4));
        assertArrayEquals(new int[]{0, 3, 6, 7}, clips.get(0).frameIndices());
        int[] picked = {0, 3, 6, 7};
        for (int i = 0; i < 4; i++) { // frames converted only when picked still carry their own pixels
            assertArrayEquals(SampleVideos.frame(spec, picked[i]), clips.get(0).frames().frames()[i], "frame " + picked[i]);
        }
    }

    @Test
    void decodeTimeLimitEndsWithTimeout() throws Exception {
        Path file = TestVideos.write(dir, TestVideos.spec("slow", 64, 48, 10, 10, SampleVideos.Codec.FFV1));
        VideoDecodeException e = failure(file, SamplingOptions.defaults().withDecodeTimeout(Duration.ofNanos(1)));
        assertEquals(DecodeStage.TIMEOUT, e.stage());
        assertContains("decoding exceeded the limit of 0 ms", e.detail());
    }

    @Test
    void timeBetweenClipsIsNotChargedToTheDecodeLimit() throws Exception {
        // 4 clips of 4 frames; the consumer spends 300 ms on each clip, twice the limit in all, and every clip comes.
        Path file = TestVideos.write(dir, TestVideos.spec("consumer", 64, 48, 16, 10, SampleVideos.Codec.FFV1));
        Duration limit = Duration.ofMillis(600);
        VideoRef ref = VideoRef.of(file.toString());
        int clips = 0;
        long charged;
        try (ClipStream s = ClipStream.open(ref, file, SamplingOptions.defaults().withClipLength(4)
                .withDecodeTimeout(limit))) {
            for (DecodedClip c = s.next(); c != null; c = s.next()) {
                clips++;
                Thread.sleep(300);
            }
            charged = s.decodeNanos();
        }
        assertEquals(4, clips);
        assertTrue(charged < limit.toNanos(), "charged " + charged + " ns");
        // Decoding itself is still charged: the clock runs inside next().
        try (ClipStream s = ClipStream.open(ref, file, SamplingOptions.defaults().withClipLength(4))) {
            long before = s.decodeNanos();
            s.next();
            long afterClip = s.decodeNanos();
            Thread.sleep(50);
            assertTrue(afterClip > before, "decoding a clip is charged");
            assertEquals(afterClip, s.decodeNanos(), "the clock is paused between clips");
        }
    }

    @Test
    void windowBeyondTheEndFailsAtSample() throws Exception {
        Path file = TestVideos.write(dir, TestVideos.spec("short", 64, 48, 10, 10, SampleVideos.Codec.FFV1));
        VideoRef ref = VideoRef.of(file.toString()).withWindow(5.0, 6.0);
        VideoDecodeException e = assertThrows(VideoDecodeException.class,
                () -> TestVideos.decodeAll(ref, file, SamplingOptions.defaults()));
        assertEquals(DecodeStage.SAMPLE, e.stage());
        assertEquals("none of the 10 decoded frames falls in the window [5.0, 6.0) s", e.detail());
    }

    @Test
    void narrowVideosDecodeToTheirExactPixels() throws Exception {
        // FFmpeg pads short RGB rows; JavaCV then reports stride / width "channels" (16 wide: 6)
        for (int w : new int[] {16, 18, 32, 48, 50}) {
            SampleVideos.Spec spec = TestVideos.spec("narrow" + w, w, 16, 3, 10, SampleVideos.Codec.FFV1);
            Path file = TestVideos.write(dir, spec);
            List<DecodedClip> clips = TestVideos.decodeAll(file, SamplingOptions.defaults().withClipLength(3));
            assertEquals(1, clips.size(), "width " + w);
            for (int t = 0; t < 3; t++) {
                assertArrayEquals(SampleVideos.frame(spec, t), clips.get(0).frames().frames()[t], w + "x16 frame " + t);
            }
        }
    }

    @Test
    void theFrameCapRejectsAtProbeWhatTheContainerAnnouncesAndKeepsAVideoAtTheCap() throws Exception {
        SampleVideos.Spec spec = TestVideos.spec("ten", 64, 48, 10, 10, SampleVideos.Codec.H264);
        Path file = TestVideos.write(dir, spec);
        VideoDecodeException e = failure(file, SamplingOptions.defaults().withMaxFramesPerVideo(9));
        assertEquals(DecodeStage.PROBE, e.stage());
        assertEquals("the container lists 10 frames, more than the cap of 9 (--max-frames-per-video)", e.detail());
        assertEquals(1, TestVideos.decodeAll(file, SamplingOptions.defaults().withMaxFramesPerVideo(10)).size());
    }

    @Test
    void theFrameCapStopsAStreamWhoseContainerDoesNotCountItsFrames() throws Exception {
        // A raw H.264 elementary stream has no frame count; the cap is met while decoding.
        Path mp4 = TestVideos.write(dir, TestVideos.spec("raw", 64, 48, 10, 10, SampleVideos.Codec.H264));
        Path raw = dir.resolve("raw.h264");
        try (org.bytedeco.javacv.FFmpegFrameGrabber g = new org.bytedeco.javacv.FFmpegFrameGrabber(mp4.toFile());
             org.bytedeco.javacv.FFmpegFrameRecorder r = new org.bytedeco.javacv.FFmpegFrameRecorder(raw.toFile(), 64, 48)) {
            g.start();
            r.setFormat("h264");
            r.setVideoCodecName("libopenh264");
            r.setFrameRate(10);
            r.start();
            for (org.bytedeco.javacv.Frame f = g.grabImage(); f != null; f = g.grabImage()) {
                r.record(f);
            }
            r.stop();
            g.stop();
        }
        VideoDecodeException e = failure(raw, SamplingOptions.defaults().withMaxFramesPerVideo(4).withClipLength(2));
        assertEquals(DecodeStage.DECODE, e.stage(), e.getMessage());
        assertContains("more than 4 frames, the cap (--max-frames-per-video", e.detail());
    }
}
