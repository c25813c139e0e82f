package dev.autogaze.video;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIndexEntry;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An FFmpeg grabber opened on one local file with every check that turns bad input into a typed error: missing or
 * empty file, unreadable container, no video stream, no decoder, absurd size, time limit (charged while the clock
 * runs: from open on, paused by {@link ClipStream} between clips). Decodes straight to
 * packed RGB24, so no BGR swap or extra copy is needed.
 */
final class OpenedVideo implements AutoCloseable {

    static {
        FfmpegLog.install();
    }

    /**
     * JavaCV's private RGB conversion of the frame just decoded. Calling it only for frames a clip keeps lets
     * TARGET_FPS and windowed decodes skip the conversion of every other frame; null if this JavaCV lacks it.
     */
    private static final Method PROCESS_IMAGE = findProcessImage();

    private static Method findProcessImage() {
        try {
            Method m = FFmpegFrameGrabber.class.getDeclaredMethod("processImage");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** True when frames can be grabbed unconverted and converted afterwards with {@link #convertedCopy}. */
    static boolean canConvertLater() {
        return PROCESS_IMAGE != null;
    }

    private final String path;
    private final FFmpegFrameGrabber grabber;
    private final VideoInfo info;
    private final long limitNanos;
    private final long timeoutMillis;
    /** Decoding time charged before the current run of the clock (open included). */
    private long spentNanos;
    /** System.nanoTime() when the clock last started; meaningful while {@link #clockRunning}. */
    private long runningSince;
    private boolean clockRunning;
    private final long startTimeUs;
    private final double nominalFrameSec;
    private final long maxFrames;
    private final int indexedFrames;
    private double lastTsSec = Double.NEGATIVE_INFINITY;
    private int grabbed;

    private OpenedVideo(String path, FFmpegFrameGrabber grabber, VideoInfo info, long openStartNanos,
                        Duration limit, long startTimeUs, long maxFrames, int indexedFrames) {
        this.path = path;
        this.maxFrames = maxFrames;
        this.indexedFrames = indexedFrames;
        this.grabber = grabber;
        this.info = info;
        this.limitNanos = limit.toNanos();
        this.timeoutMillis = limit.toMillis();
        this.runningSince = openStartNanos; // the clock runs from the start of open() until the first pause
        this.clockRunning = true;
        this.startTimeUs = startTimeUs;
        this.nominalFrameSec = info.fps() > 0 ? 1.0 / info.fps() : 1.0 / 25;
    }

    /** Opens what {@code video} holds: a local file, or a seekable stream read through JavaCV's custom AVIO. */
    static OpenedVideo open(LocalVideoFile video, String displayPath, SamplingOptions options)
            throws VideoDecodeException {
        if (video.path() != null) {
            return open(video.path(), displayPath, options);
        }
        long t0 = System.nanoTime();
        if (video.size() == 0) {
            throw new VideoDecodeException(displayPath, DecodeStage.OPEN, "member is empty (0 bytes)");
        }
        // maximumSize > 0 turns seeking on: JavaCV marks the stream at its start and seeks by reset + skip.
        return start(new FFmpegFrameGrabber(video.stream(), Integer.MAX_VALUE), displayPath, options, t0);
    }

    static OpenedVideo open(Path file, String displayPath, SamplingOptions options) throws VideoDecodeException {
        long t0 = System.nanoTime();
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new VideoDecodeException(displayPath, DecodeStage.OPEN, "cannot read file " + file + ": " + e, e);
        }
        if (size == 0) {
            throw new VideoDecodeException(displayPath, DecodeStage.OPEN, "file is empty (0 bytes)");
        }
        return start(new FFmpegFrameGrabber(file.toFile()), displayPath, options, t0);
    }

    private static OpenedVideo start(FFmpegFrameGrabber g, String displayPath, SamplingOptions options, long t0)
            throws VideoDecodeException {
        g.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
        if (options.decodeThreads() > 0) {
            g.setVideoOption("threads", Integer.toString(options.decodeThreads()));
        }
        FfmpegLog.clear();
        try {
            g.start();
        } catch (FFmpegFrameGrabber.Exception | RuntimeException e) {
            String msg = FfmpegLog.describe(e);
            // JavaCV (1.5.13) skips streams whose codec FFmpeg cannot identify (codec id none) and then finds no
            // stream at all. With streams listed the container opened and the probe failed, like a codec without a
            // decoder; with none (e.g. a damaged moov) the container itself is unreadable.
            List<VideoInfo.StreamInfo> streams = msg.contains("Did not find a video or audio stream")
                    && g.getFormatContext() != null ? streams(g.getFormatContext()) : List.of();
            boolean noKnownStream = !streams.isEmpty();
            release(g);
            DecodeStage stage = noKnownStream || msg.contains("avcodec_find_decoder") || msg.contains("avcodec_open2")
                    ? DecodeStage.PROBE : DecodeStage.OPEN;
            String detail = noKnownStream ? "no video stream of a codec FFmpeg knows (streams: " + streams + ")"
                    : stage == DecodeStage.PROBE ? "no usable decoder for the video stream (" + msg + ")"
                    : "FFmpeg cannot open it as a video container (" + msg + ")";
            throw new VideoDecodeException(displayPath, stage, detail, e);
        }
        try {
            VideoInfo info = describe(displayPath, g);
            check(displayPath, g, info, options);
            AVFormatContext oc = g.getFormatContext();
            long start = oc.start_time() == avutil.AV_NOPTS_VALUE ? 0 : oc.start_time();
            // Scale any mid-stream size change to the size the video was opened with, so a clip is rectangular.
            g.setImageWidth(info.width());
            g.setImageHeight(info.height());
            OpenedVideo v = new OpenedVideo(displayPath, g, info, t0, options.decodeTimeout(), start,
                    options.maxFramesPerVideo(), indexedFrames(oc));
            v.checkDeadline();
            return v;
        } catch (VideoDecodeException | RuntimeException e) {
            release(g);
            throw e;
        }
    }

    private static void check(String path, FFmpegFrameGrabber g, VideoInfo info, SamplingOptions options)
            throws VideoDecodeException {
        if (!g.hasVideo()) {
            throw new VideoDecodeException(path, DecodeStage.PROBE, "no video stream (streams: " + info.streams() + ")");
        }
        if (info.width() <= 0 || info.height() <= 0) {
            throw new VideoDecodeException(path, DecodeStage.PROBE, "video size " + info.width() + "x" + info.height()
                    + " is not positive");
        }
        if (options.maxFramesPerVideo() > 0 && info.frameCount() > options.maxFramesPerVideo()) {
            throw new VideoDecodeException(path, DecodeStage.PROBE, "the container lists " + info.frameCount()
                    + " frames, more than the cap of " + options.maxFramesPerVideo() + " (--max-frames-per-video)");
        }
        long pixels = (long) info.width() * info.height();
        if (pixels > options.maxFramePixels()) {
            throw new VideoDecodeException(path, DecodeStage.PROBE, "video size " + info.width() + "x" + info.height()
                    + " (" + pixels + " pixels) exceeds the limit of " + options.maxFramePixels() + " pixels");
        }
    }

    /**
     * The frames a decode to the end must yield, when the container indexes every frame (MP4/MOV: one index entry
     * per sample, edit-list discards flagged); else 0 (Matroska and most others index keyframes only). A decode
     * that ends short of it met a truncated file or damaged data that FFmpeg would otherwise pass over silently.
     */
    private static int indexedFrames(AVFormatContext oc) {
        for (int i = 0; i < oc.nb_streams(); i++) {
            AVStream st = oc.streams(i);
            if (st.codecpar().codec_type() != avutil.AVMEDIA_TYPE_VIDEO) {
                continue;
            }
            int entries = avformat.avformat_index_get_entries_count(st);
            if (st.nb_frames() <= 0 || entries != st.nb_frames()) {
                return 0;
            }
            int kept = 0;
            for (int e = 0; e < entries; e++) {
                if ((avformat.avformat_index_get_entry(st, e).flags() & AVIndexEntry.AVINDEX_DISCARD_FRAME) == 0) {
                    kept++;
                }
            }
            return kept;
        }
        return 0;
    }

    /** See {@link #indexedFrames(AVFormatContext)}; 0 when unknown. */
    int indexedFrames() {
        return indexedFrames;
    }

    private static VideoInfo describe(String path, FFmpegFrameGrabber g) {
        AVFormatContext oc = g.getFormatContext();
        double duration = oc.duration() == avutil.AV_NOPTS_VALUE ? Double.NaN : oc.duration() / 1e6;
        double fps = g.hasVideo() && g.getFrameRate() > 0 ? g.getFrameRate() : Double.NaN;
        String codec = g.hasVideo() ? avcodec.avcodec_get_name(g.getVideoCodec()).getString() : "none";
        return new VideoInfo(path, g.getFormat(), duration, g.getImageWidth(), g.getImageHeight(), fps,
                g.hasVideo() ? Math.max(0, g.getLengthInVideoFrames()) : 0, codec, streams(oc));
    }

    private static List<VideoInfo.StreamInfo> streams(AVFormatContext oc) {
        List<VideoInfo.StreamInfo> streams = new ArrayList<>();
        for (int i = 0; i < oc.nb_streams(); i++) {
            AVStream st = oc.streams(i);
            AVCodecParameters par = st.codecpar();
            String type = avutil.av_get_media_type_string(par.codec_type()) == null ? "unknown"
                    : avutil.av_get_media_type_string(par.codec_type()).getString();
            String codec = avcodec.avcodec_get_name(par.codec_id()).getString();
            String details = switch (par.codec_type()) {
                case avutil.AVMEDIA_TYPE_VIDEO -> par.width() + "x" + par.height();
                case avutil.AVMEDIA_TYPE_AUDIO -> par.sample_rate() + " Hz";
                default -> "";
            };
            streams.add(new VideoInfo.StreamInfo(i, type, codec, details));
        }
        return streams;
    }

    VideoInfo info() {
        return info;
    }

    /** Frames grabbed so far. */
    int grabbed() {
        return grabbed;
    }

    /**
     * The next video frame, or null at end of stream. With {@code convert} false the frame is decoded but not
     * converted to RGB (its timestamp is valid, its pixels are not).
     */
    Frame grab(boolean convert) throws VideoDecodeException {
        checkDeadline();
        Frame f;
        FfmpegLog.clear();
        try {
            f = grabber.grabFrame(false, true, convert, false, false);
        } catch (FFmpegFrameGrabber.Exception | RuntimeException e) {
            throw new VideoDecodeException(path, DecodeStage.DECODE, "decoding failed after " + grabbed
                    + " frames: " + FfmpegLog.describe(e), e);
        }
        if (f == null) {
            return null;
        }
        if (maxFrames > 0 && grabbed >= maxFrames) {
            throw new VideoDecodeException(path, DecodeStage.DECODE, "more than " + maxFrames + " frames, the cap"
                    + " (--max-frames-per-video; the container listed " + info.frameCount() + ")");
        }
        if (convert) {
            checkConverted(f, grabbed);
        }
        grabbed++;
        return f;
    }

    /**
     * The grabber converts to packed RGB24, so a row holds width x 3 bytes plus alignment padding. JavaCV reports
     * stride / width as the channel count, which is more than 3 for narrow frames (16 wide: a 96-byte row, "6
     * channels"), so the row length is checked, not that count.
     */
    private void checkConverted(Frame f, int index) throws VideoDecodeException {
        if (f.imageWidth != info.width() || f.imageHeight != info.height() || f.image == null
                || f.imageStride < info.width() * 3
                || ((ByteBuffer) f.image[0]).limit() < (long) f.imageStride * (info.height() - 1) + info.width() * 3L) {
            throw new VideoDecodeException(path, DecodeStage.DECODE, "frame " + index + " came out as "
                    + f.imageWidth + "x" + f.imageHeight + " with " + f.imageStride + "-byte rows, expected "
                    + info.width() + "x" + info.height() + " RGB rows of at least " + info.width() * 3 + " bytes");
        }
    }

    /**
     * Converts the frame last grabbed with {@code convert = false} to RGB and copies it (into {@code reuse} if not
     * null). Valid only until the next grab.
     */
    byte[] convertedCopy(Frame f, byte[] reuse) throws VideoDecodeException {
        try {
            PROCESS_IMAGE.invoke(grabber);
        } catch (InvocationTargetException e) {
            throw new VideoDecodeException(path, DecodeStage.DECODE, "RGB conversion of frame " + (grabbed - 1)
                    + " failed: " + FfmpegLog.describe(e.getCause()), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("processImage became inaccessible", e);
        }
        checkConverted(f, grabbed - 1);
        return rgb(f, reuse);
    }

    /**
     * Seconds from the container start. A missing or non-increasing timestamp becomes the previous one plus one
     * nominal frame duration, so timestamps within a video always increase.
     */
    double timestampSec(Frame f) {
        double ts = (f.timestamp - startTimeUs) / 1e6;
        if (!(ts > lastTsSec) || Double.isInfinite(ts)) {
            ts = lastTsSec == Double.NEGATIVE_INFINITY ? 0.0 : lastTsSec + nominalFrameSec;
        }
        lastTsSec = ts;
        return ts;
    }

    /** A packed-RGB copy of a converted frame (the grabber reuses its buffer), into {@code reuse} if not null. */
    byte[] rgb(Frame f, byte[] reuse) {
        int row = info.width() * 3;
        byte[] out = reuse != null ? reuse : new byte[row * info.height()];
        ByteBuffer b = (ByteBuffer) f.image[0];
        int stride = f.imageStride;
        if (stride == row) {
            b.get(0, out, 0, out.length);
        } else {
            for (int y = 0; y < info.height(); y++) {
                b.get(y * stride, out, y * row, row);
            }
        }
        return out;
    }

    /**
     * Starts charging time to the decode limit again (no-op while it runs). The limit counts decoding only, so a
     * caller that holds the video open while it does other work (waits for a consumer, say) pauses the clock.
     */
    void resumeClock() {
        if (!clockRunning) {
            runningSince = System.nanoTime();
            clockRunning = true;
        }
    }

    /** Stops charging time to the decode limit until {@link #resumeClock}. */
    void pauseClock() {
        if (clockRunning) {
            spentNanos += System.nanoTime() - runningSince;
            clockRunning = false;
        }
    }

    /** Decoding time charged so far (open included). */
    long decodeNanos() {
        return spentNanos + (clockRunning ? System.nanoTime() - runningSince : 0);
    }

    void checkDeadline() throws VideoDecodeException {
        if (decodeNanos() > limitNanos) {
            throw new VideoDecodeException(path, DecodeStage.TIMEOUT, "decoding exceeded the limit of "
                    + timeoutMillis + " ms after " + grabbed + " frames");
        }
    }

    @Override
    public void close() {
        release(grabber);
    }

    private static void release(FFmpegFrameGrabber g) {
        try {
            g.release();
        } catch (FFmpegFrameGrabber.Exception | RuntimeException ignored) {
            // releasing a half-opened grabber can fail; there is nothing left to free
        }
    }
}
