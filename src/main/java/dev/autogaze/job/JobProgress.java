package dev.autogaze.job;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

import java.io.PrintStream;

/**
 * The driver's progress bar: after each finished task, one line with videos and clips done, clips per second and
 * an ETA from the video rate. Redrawn in place on a terminal, one line per update (at most every 2 s) otherwise.
 */
public final class JobProgress extends SparkListener {

    private static final int WIDTH = 30;

    private final long totalVideos;
    private final AccumulatorCounters counters;
    private final PrintStream out;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private long lastPrint;
    private String lastKey = "";

    public JobProgress(long totalVideos, AccumulatorCounters counters, PrintStream out, boolean terminal) {
        this.totalVideos = totalVideos;
        this.counters = counters;
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        long now = System.nanoTime();
        if (now - lastPrint < (terminal ? 250_000_000L : 2_000_000_000L)) {
            return;
        }
        lastPrint = now;
        print(false);
    }

    /** Prints the current line; {@code last} ends it with a newline. Off a terminal, only when the counts moved. */
    public synchronized void print(boolean last) {
        long videos = counters.videos();
        long clips = counters.clips();
        long errors = counters.errorVideos();
        String key = videos + "/" + clips + "/" + errors;
        if (!terminal && key.equals(lastKey)) {
            return;
        }
        lastKey = key;
        String line = line(videos, clips, errors, (System.nanoTime() - startNanos) / 1e9);
        if (terminal) {
            out.print("\r" + line + (last ? "\n" : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** The progress line for these counts (pure, for tests). */
    public String line(long videos, long clips, long errors, double seconds) {
        double fraction = totalVideos == 0 ? 1 : Math.min(1, (double) videos / totalVideos);
        int filled = (int) Math.round(fraction * WIDTH);
        StringBuilder bar = new StringBuilder("[");
        for (int i = 0; i < WIDTH; i++) {
            bar.append(i < filled ? '=' : (i == filled ? '>' : ' '));
        }
        bar.append(']');
        double rate = seconds > 0 ? clips / seconds : 0;
        String eta = videos == 0 ? "--:--" : clock((totalVideos - videos) * seconds / videos);
        return String.format("%s %d/%d videos, %d clips, %d errors, %.1f clips/s, ETA %s", bar, videos, totalVideos,
                clips, errors, rate, eta);
    }

    static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }
}
