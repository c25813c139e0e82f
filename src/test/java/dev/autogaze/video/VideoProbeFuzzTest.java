package dev.autogaze.video;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.autogaze.testing.OneLineMessages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The video probe and the first clips on arbitrary bytes (Jazzer), through FFmpeg: a scan and clips, or a
 * {@link VideoDecodeException}, never another exception (a crash in FFmpeg itself would end the JVM, which the
 * fuzzer reports too). Small caps keep a mutated size field from allocating much. Seeds: tiny videos in {@code
 * src/test/resources/dev/autogaze/video/VideoProbeFuzzTestInputs/probe/}.
 */
class VideoProbeFuzzTest {

    private static final SamplingOptions OPTIONS = SamplingOptions.defaults().withMaxFramePixels(1 << 20)
            .withDecodeTimeout(Duration.ofSeconds(2)).withMaxFramesPerVideo(300).withClipLength(4)
            .withMaxClipsPerVideo(2);
    private static final Path FILE;

    static {
        try {
            FILE = Files.createTempDirectory("autogaze-probe-fuzz").resolve("input.bin");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void probe(byte[] bytes) throws IOException {
        Files.write(FILE, bytes);
        try {
            VideoScan.of(FILE, FILE.toString(), OPTIONS);
            try (ClipStream clips = ClipStream.open(VideoRef.of(FILE.toString()), FILE, OPTIONS)) {
                for (DecodedClip c = clips.next(); c != null; c = clips.next()) {
                    if (c.frames().frameCount() != 4) {
                        throw new IllegalStateException("a clip of " + c.frames().frameCount() + " frames");
                    }
                }
            }
        } catch (VideoDecodeException expected) {
            OneLineMessages.check(expected);
        }
    }
}
