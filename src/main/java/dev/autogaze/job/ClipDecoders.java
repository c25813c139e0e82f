package dev.autogaze.job;

import dev.autogaze.model.PreparedClip;
import dev.autogaze.video.DecodedClip;
import dev.autogaze.video.RgbClip;
import dev.autogaze.video.VideoDecodeException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The decoding side of a task: daemon threads take the partition's videos in list order, each decoding one video
 * at a time, and put the clips into one bounded queue, so decoding overlaps the gaze source and a batch can hold
 * clips of several videos. A video's items arrive in clip order and end with exactly one {@link End}; each thread's
 * last item is {@link #DONE}. Each thread also prepares its clips for the gaze source ({@code GazeSource.prepare}:
 * AutoGaze's processor), so that host work overlaps the engine's work on the previous batch. Memory: the queue's
 * capacity in clips (frames and prepared pixels), plus one clip in the hands of each thread.
 */
final class ClipDecoders implements AutoCloseable {

    /** What the queue carries. */
    sealed interface Item permits ClipItem, End, Crash, Done {
    }

    /**
     * A decoded clip and its prepared form, or the failure of preparing it (then {@code prepared} is null);
     * {@code decodeNanos} is the decoding time spent on it (the open, for a first clip), preparing not included.
     */
    record ClipItem(Video video, ClipOpener.Clips from, DecodedClip clip, PreparedClip prepared,
                    RuntimeException prepareFailure, long decodeNanos) implements Item {
    }

    /** The video is over: decoded to the end, stopped on request, or failed ({@code failure} not null). */
    record End(Video video, VideoDecodeException failure, long decodeNanos) implements Item {
    }

    /** A decoding thread died of something that is not a per-video error (a bug): the task must fail. */
    record Crash(Throwable error) implements Item {
    }

    /** A thread has no more videos. */
    record Done() implements Item {
    }

    static final Done DONE = new Done();

    /**
     * One video on its way through the task. {@link #stop} is the gaze loop's request to stop decoding it (a clip
     * of it failed after decoding); the other fields belong to the gaze loop alone.
     */
    static final class Video {
        final VideoTask task;
        volatile boolean stop;
        int written;
        String failedStage;
        String failure;

        Video(VideoTask task) {
            this.task = task;
        }
    }

    private final List<VideoTask> videos;
    private final ClipOpener opener;
    private final Function<RgbClip, PreparedClip> prepare;
    private final BlockingQueue<Item> queue;
    private final AtomicInteger nextVideo = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    /**
     * {@code threads} decoders (at most one per video) over {@code videos}, each clip then passed through
     * {@code prepare}, holding at most {@code capacity} items.
     */
    ClipDecoders(List<VideoTask> videos, ClipOpener opener, Function<RgbClip, PreparedClip> prepare, int threads,
                 int capacity) {
        if (threads < 1) {
            throw new IllegalArgumentException("decoding threads " + threads + " must be >= 1");
        }
        this.videos = List.copyOf(videos);
        this.opener = opener;
        this.prepare = prepare;
        this.queue = new LinkedBlockingQueue<>(capacity);
        for (int i = 0; i < Math.min(threads, videos.size()); i++) {
            Thread t = new Thread(this::work, "autogaze-decode-" + i);
            t.setDaemon(true);
            this.threads.add(t);
        }
    }

    /** Starts the threads; returns how many there are (each ends its items with {@link #DONE}). */
    int start() {
        threads.forEach(Thread::start);
        return threads.size();
    }

    /** The next item, waiting for one. */
    Item take() throws InterruptedException {
        return queue.take();
    }

    /** Stops every thread (a blocked or decoding one at its next clip) and waits for them; idempotent. */
    @Override
    public void close() {
        closed = true;
        threads.forEach(Thread::interrupt);
        boolean interrupted = false;
        for (Thread t : threads) {
            // A thread inside one FFmpeg call finishes that call first; a stuck native call is left to die with the
            // JVM (daemon) rather than hang the task. Emptying the queue frees whatever it holds and unblocks a put
            // whose interrupt some library swallowed.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (t.isAlive() && System.nanoTime() < deadline) {
                queue.clear();
                try {
                    t.join(200);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        queue.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void work() {
        try {
            for (int i = nextVideo.getAndIncrement(); i < videos.size() && !closed; i = nextVideo.getAndIncrement()) {
                decode(new Video(videos.get(i)));
            }
            queue.put(DONE);
        } catch (InterruptedException e) {
            // closed: nobody takes from the queue any more
        } catch (RuntimeException | Error e) {
            if (!closed) {
                try {
                    queue.put(new Crash(e));
                } catch (InterruptedException closing) {
                    // closed meanwhile
                }
            }
        }
    }

    /** Decodes one video into the queue; only the time inside open and next is counted as decoding. */
    private void decode(Video v) throws InterruptedException {
        long t0 = System.nanoTime();
        ClipOpener.Clips clips;
        try {
            clips = opener.open(v.task);
        } catch (VideoDecodeException e) {
            queue.put(new End(v, e, System.nanoTime() - t0));
            return;
        }
        try (clips) {
            long spent = System.nanoTime() - t0;
            while (!v.stop && !closed) {
                long s = System.nanoTime();
                DecodedClip c;
                try {
                    c = clips.next();
                } catch (VideoDecodeException e) {
                    queue.put(new End(v, e, spent + System.nanoTime() - s));
                    return;
                }
                spent += System.nanoTime() - s;
                if (c == null) {
                    break;
                }
                PreparedClip prepared = null;
                RuntimeException failure = null;
                try {
                    prepared = prepare.apply(c.frames());
                } catch (RuntimeException e) {
                    failure = e; // the gaze loop fails the video at this clip, after its earlier clips' rows
                }
                queue.put(new ClipItem(v, clips, c, prepared, failure, spent));
                spent = 0;
            }
            queue.put(new End(v, null, spent));
        }
    }
}
