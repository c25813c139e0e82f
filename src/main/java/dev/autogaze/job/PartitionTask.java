package dev.autogaze.job;

import dev.autogaze.io.ClipRow;
import dev.autogaze.io.ErrorRow;
import dev.autogaze.io.OutputSchema;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.CollectionAccumulator;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * One Spark partition of videos -> clip rows, lazily one video at a time. Error rows go to an accumulator (they are
 * few, and Spark applies a successful task's accumulator updates once), so the clips are written in one pass.
 */
final class PartitionTask implements FlatMapFunction<Iterator<VideoTask>, Row> {

    private final String optionsJson;
    private final String configHash;
    private final AccumulatorCounters counters;
    private final CollectionAccumulator<ErrorRow> errors;
    private final ProcessorFactory factory;

    PartitionTask(String optionsJson, String configHash, AccumulatorCounters counters,
                  CollectionAccumulator<ErrorRow> errors, ProcessorFactory factory) {
        this.optionsJson = optionsJson;
        this.configHash = configHash;
        this.counters = counters;
        this.errors = errors;
        this.factory = factory;
    }

    @Override
    public Iterator<Row> call(Iterator<VideoTask> videos) {
        JobOptions options = JobOptionsJson.fromJson(optionsJson);
        VideoProcessor processor = factory.create(options, configHash, counters);
        ArrayDeque<Row> ready = new ArrayDeque<>();
        VideoProcessor.Sink sink = new VideoProcessor.Sink() {
            @Override
            public void clip(ClipRow row) {
                ready.add(OutputSchema.toRow(row));
            }

            @Override
            public void error(ErrorRow row) {
                errors.add(row);
            }
        };
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                while (ready.isEmpty() && videos.hasNext()) {
                    processor.process(videos.next(), sink);
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }
        };
    }
}
