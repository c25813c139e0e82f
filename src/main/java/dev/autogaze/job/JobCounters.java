package dev.autogaze.job;

/**
 * What a task reports as it goes: videos, clips, gazes, tokens, errors and where the time went. The Spark job backs
 * it with accumulators (read by the progress bar and the summary); tests use {@link Local}.
 */
public interface JobCounters {

    void addVideo();

    void addClip(int realGazes, int tokens);

    void addError();

    void addDecodeNanos(long nanos);

    void addGazeNanos(long nanos);

    void addReadoutNanos(long nanos);

    /** Plain fields, for a single thread. */
    final class Local implements JobCounters {
        public long videos, clips, gazes, tokens, errors, decodeNanos, gazeNanos, readoutNanos;

        @Override
        public void addVideo() {
            videos++;
        }

        @Override
        public void addClip(int realGazes, int tokenCount) {
            clips++;
            gazes += realGazes;
            tokens += tokenCount;
        }

        @Override
        public void addError() {
            errors++;
        }

        @Override
        public void addDecodeNanos(long nanos) {
            decodeNanos += nanos;
        }

        @Override
        public void addGazeNanos(long nanos) {
            gazeNanos += nanos;
        }

        @Override
        public void addReadoutNanos(long nanos) {
            readoutNanos += nanos;
        }
    }
}
