package dev.autogaze.video;

import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Keeps FFmpeg's error lines out of the task logs and hands the last few of the current thread to the error
 * message instead: "moov atom not found" says more than JavaCV's "Could not open input".
 */
final class FfmpegLog {

    private static final int KEEP = 3;
    private static final ThreadLocal<Deque<String>> RECENT = ThreadLocal.withInitial(ArrayDeque::new);
    private static LogCallback callback;

    private FfmpegLog() {
    }

    /** Installs the capturing callback once per JVM (FFmpeg's log settings are process-global). */
    static synchronized void install() {
        if (callback != null) {
            return;
        }
        callback = new LogCallback() {
            @Override
            public void call(int level, BytePointer msg) {
                if (level <= avutil.AV_LOG_ERROR) {
                    String line = msg.getString().trim().replaceAll(" @ 0x[0-9a-fA-F]+", "");
                    Deque<String> recent = RECENT.get();
                    if (!line.isEmpty() && !line.equals(recent.peekLast())) {
                        recent.addLast(line);
                        if (recent.size() > KEEP) {
                            recent.removeFirst();
                        }
                    }
                }
            }
        };
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        avutil.setLogCallback(callback);
    }

    /** Forgets this thread's lines (call before an FFmpeg operation whose errors you want). */
    static void clear() {
        RECENT.get().clear();
    }

    /** This thread's recent FFmpeg error lines joined with "; ", or "" when there were none. */
    static String recent() {
        return String.join("; ", RECENT.get());
    }

    /**
     * A JavaCV exception message without its boilerplate, with FFmpeg's error code spelled out and the log lines
     * that explain it, e.g. {@code avformat_open_input() error -1094995529 (Invalid data found when processing
     * input): [mov,mp4,m4a,3gp,3g2,mj2] moov atom not found}.
     */
    static String describe(Throwable e) {
        String msg = String.valueOf(e.getMessage());
        int cut = msg.indexOf(" (Has setFormat()");
        if (cut < 0) {
            cut = msg.indexOf(" (For more details");
        }
        if (cut >= 0) {
            msg = msg.substring(0, cut);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("error (-\\d+)").matcher(msg);
        if (m.find()) {
            byte[] buf = new byte[256];
            if (avutil.av_strerror(Integer.parseInt(m.group(1)), buf, buf.length) == 0) {
                int len = 0;
                while (len < buf.length && buf[len] != 0) {
                    len++;
                }
                msg = msg.substring(0, m.end()) + " (" + new String(buf, 0, len, java.nio.charset.StandardCharsets.UTF_8)
                        + ")" + msg.substring(m.end());
            }
        }
        String log = recent();
        return log.isEmpty() ? msg : msg + ": " + log;
    }
}
