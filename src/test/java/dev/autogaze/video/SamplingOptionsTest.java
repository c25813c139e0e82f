package dev.autogaze.video;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SamplingOptionsTest {

    @Test
    void defaultsAreEveryFrameSixteenFrameBackToBackClipsRepeatingTheLast() {
        SamplingOptions o = SamplingOptions.defaults();
        assertEquals(SamplingMode.EVERY_FRAME, o.mode());
        assertEquals(16, o.clipLength());
        assertEquals(16, o.effectiveClipStride());
        assertEquals(LastClipPolicy.REPEAT_LAST, o.lastClipPolicy());
        assertEquals(8, o.withClipLength(8).effectiveClipStride());
        assertEquals(3, o.withClipLength(8).withClipStride(3).effectiveClipStride());
    }

    @Test
    void withMethodsSwitchTheSamplingMode() {
        SamplingOptions o = SamplingOptions.defaults().withTargetFps(5).withClipLength(4);
        assertEquals(SamplingMode.TARGET_FPS, o.mode());
        assertEquals(5.0, o.targetFps());
        SamplingOptions s = o.withFrameStride(3);
        assertEquals(SamplingMode.STRIDE, s.mode());
        assertEquals(0.0, s.targetFps());
        assertEquals(4, s.clipLength());
    }

    @Test
    void optionsAndVideoRefsSurviveJavaSerializationForSparkClosures() throws Exception {
        SamplingOptions o = SamplingOptions.defaults().withTargetFps(2.5).withMaxClipsPerVideo(3);
        java.util.Map<String, String> extra = new java.util.LinkedHashMap<>();
        extra.put("z", "1");
        extra.put("a", null);
        VideoRef ref = new VideoRef("id", "hdfs://nn/v.mp4", 1.0, null, "train", extra);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(o);
            out.writeObject(ref);
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(o, in.readObject());
            VideoRef back = (VideoRef) in.readObject();
            assertEquals(ref, back);
            assertEquals(java.util.List.of("z", "a"), java.util.List.copyOf(back.extra().keySet()));
        }
    }

    @Test
    void badValuesAreRejectedNamingTheValue() {
        SamplingOptions d = SamplingOptions.defaults();
        assertEquals("target fps -2.0 must be a positive finite number",
                assertThrows(IllegalArgumentException.class, () -> d.withTargetFps(-2)).getMessage());
        assertEquals("frame stride 0 must be >= 1",
                assertThrows(IllegalArgumentException.class, () -> d.withFrameStride(0)).getMessage());
        assertEquals("clip length 0 must be >= 1",
                assertThrows(IllegalArgumentException.class, () -> d.withClipLength(0)).getMessage());
        assertEquals("decode timeout PT0S must be positive",
                assertThrows(IllegalArgumentException.class, () -> d.withDecodeTimeout(Duration.ZERO)).getMessage());
        assertEquals("frame stride 3 given but mode is EVERY_FRAME", assertThrows(IllegalArgumentException.class,
                () -> new SamplingOptions(SamplingMode.EVERY_FRAME, 0, 3, 16, 0, 0, LastClipPolicy.DROP,
                        Duration.ofSeconds(1), 100, 1)).getMessage());
    }
}
