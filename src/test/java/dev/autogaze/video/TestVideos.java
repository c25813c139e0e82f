package dev.autogaze.video;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Files the tests need that the sample generator does not make: solid colours, audio only, decode helpers. */
final class TestVideos {

    private TestVideos() {
    }

    static SampleVideos.Spec spec(String name, int w, int h, int frames, int fps, SampleVideos.Codec codec) {
        return new SampleVideos.Spec(name, w, h, frames, fps, codec, 7);
    }

    static Path write(Path dir, SampleVideos.Spec spec) throws Exception {
        Path file = dir.resolve(spec.fileName());
        SampleVideos.write(file, spec);
        return file;
    }

    /** A video whose every pixel is (r, g, b). */
    static Path solid(Path file, int r, int g, int b, String format, String encoder) throws Exception {
        Frame frame = new Frame(64, 48, Frame.DEPTH_UBYTE, 3);
        java.nio.ByteBuffer buf = (java.nio.ByteBuffer) frame.image[0];
        for (int i = 0; i < 64 * 48; i++) {
            buf.put(i * 3, (byte) r).put(i * 3 + 1, (byte) g).put(i * 3 + 2, (byte) b);
        }
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), 64, 48, 0)) {
            rec.setFormat(format);
            rec.setVideoCodecName(encoder);
            rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            rec.setVideoBitrate(200_000);
            rec.setFrameRate(10);
            rec.start();
            for (int t = 0; t < 5; t++) {
                rec.record(frame, avutil.AV_PIX_FMT_RGB24);
            }
            rec.stop();
        }
        return file;
    }

    /** One second of a 440 Hz tone in Matroska, with no video stream. */
    static Path audioOnly(Path file) throws Exception {
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), 1)) {
            rec.setFormat("matroska");
            rec.setAudioCodec(avcodec.AV_CODEC_ID_PCM_S16LE);
            rec.setSampleRate(16000);
            rec.start();
            short[] samples = new short[16000];
            for (int i = 0; i < samples.length; i++) {
                samples[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 16000.0));
            }
            rec.recordSamples(16000, 1, ShortBuffer.wrap(samples));
            rec.stop();
        }
        return file;
    }

    /** Every clip of a video, decoded with these options. */
    static List<DecodedClip> decodeAll(Path file, SamplingOptions options) throws VideoDecodeException {
        return decodeAll(VideoRef.of(file.toString()), file, options);
    }

    static List<DecodedClip> decodeAll(VideoRef ref, Path file, SamplingOptions options) throws VideoDecodeException {
        List<DecodedClip> out = new ArrayList<>();
        try (ClipStream clips = ClipStream.open(ref, file, options)) {
            for (DecodedClip c = clips.next(); c != null; c = clips.next()) {
                out.add(c);
            }
        }
        return out;
    }

    /** Mean absolute difference of two RGB byte arrays, per channel value. */
    static double meanAbsDiff(byte[] a, byte[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
        }
        return (double) sum / a.length;
    }
}
