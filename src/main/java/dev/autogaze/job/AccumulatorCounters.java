package dev.autogaze.job;

import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

import java.io.Serializable;

/** {@link JobCounters} on Spark accumulators: tasks add, the driver's progress bar and summary read. */
public final class AccumulatorCounters implements JobCounters, Serializable {

    final LongAccumulator videos;
    final LongAccumulator clips;
    final LongAccumulator gazes;
    final LongAccumulator tokens;
    final LongAccumulator errors;
    final LongAccumulator decodeNanos;
    final LongAccumulator gazeNanos;
    final LongAccumulator readoutNanos;

    public AccumulatorCounters(SparkContext sc) {
        videos = sc.longAccumulator("autogaze.videos");
        clips = sc.longAccumulator("autogaze.clips");
        gazes = sc.longAccumulator("autogaze.gazes");
        tokens = sc.longAccumulator("autogaze.tokens");
        errors = sc.longAccumulator("autogaze.error_videos");
        decodeNanos = sc.longAccumulator("autogaze.decode_nanos");
        gazeNanos = sc.longAccumulator("autogaze.gaze_nanos");
        readoutNanos = sc.longAccumulator("autogaze.readout_nanos");
    }

    @Override
    public void addVideo() {
        videos.add(1);
    }

    @Override
    public void addClip(int realGazes, int tokenCount) {
        clips.add(1);
        gazes.add(realGazes);
        tokens.add(tokenCount);
    }

    @Override
    public void addError() {
        errors.add(1);
    }

    @Override
    public void addDecodeNanos(long nanos) {
        decodeNanos.add(nanos);
    }

    @Override
    public void addGazeNanos(long nanos) {
        gazeNanos.add(nanos);
    }

    @Override
    public void addReadoutNanos(long nanos) {
        readoutNanos.add(nanos);
    }

    public long videos() {
        return videos.value();
    }

    public long clips() {
        return clips.value();
    }

    public long gazes() {
        return gazes.value();
    }

    public long tokens() {
        return tokens.value();
    }

    public long errorVideos() {
        return errors.value();
    }

    public double decodeSeconds() {
        return decodeNanos.value() / 1e9;
    }

    public double gazeSeconds() {
        return gazeNanos.value() / 1e9;
    }

    public double readoutSeconds() {
        return readoutNanos.value() / 1e9;
    }
}
