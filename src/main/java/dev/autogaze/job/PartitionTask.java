package dev.autogaze.job;

import dev.autogaze.io.ClipRow;
import dev.autogaze.io.ErrorRow;
import dev.autogaze.io.OutputSchema;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.TaskCompletionListener;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * One Spark partition of videos -> clip rows, pulled lazily one batch at a time by the writer (the gaze source runs
 * on the task's thread, decoding on the processor's own threads, stopped when the task ends however it ends).
 * Error rows go to an accumulator (they are few, and Spark applies a successful task's accumulator updates once),
 * so the clips are written in one pass.
 */
final class PartitionTask implements FlatMapFunction<Iterator<VideoTask>, Row> {

    private final String optionsJson;
    private final String configHash;
    private final AccumulatorCounters counters;
    private final CollectionAccumulator<ErrorRow> errors;
    private final ProcessorFactory factory;
    private final List<PassThroughColumn> passThrough;

    private final CollectionAccumulator<Double> taskSeconds;

    PartitionTask(String optionsJson, String configHash, AccumulatorCounters counters,
                  CollectionAccumulator<ErrorRow> errors, ProcessorFactory factory,
                  List<PassThroughColumn> passThrough, CollectionAccumulator<Double> taskSeconds) {
        this.taskSeconds = taskSeconds;
        this.passThrough = List.copyOf(passThrough);
        this.optionsJson = optionsJson;
        this.configHash = configHash;
        this.counters = counters;
        this.errors = errors;
        this.factory = factory;
    }

    @Override
    public Iterator<Row> call(Iterator<VideoTask> videos) {
        long start = System.nanoTime();
        JobOptions options = JobOptionsJson.fromJson(optionsJson);
        PartitionProcessor processor = factory.create(options, configHash, counters);
        // The partition's video list is small (paths); read on this thread, as Spark's iterators expect.
        List<VideoTask> list = new ArrayList<>();
        videos.forEachRemaining(list::add);
        ArrayDeque<Row> ready = new ArrayDeque<>();
        PartitionProcessor.Run run = processor.start(list, new PartitionProcessor.Sink() {
            @Override
            public void clip(ClipRow row) {
                ready.add(OutputSchema.toRow(row, PassThroughColumn.values(row, passThrough)));
            }

            @Override
            public void error(ErrorRow row) {
                errors.add(row);
            }
        });
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((TaskCompletionListener) context -> {
                run.close();
                taskSeconds.add((System.nanoTime() - start) / 1e9); // the work balancing's measure (summary "work")
            });
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                while (ready.isEmpty() && run.step()) {
                    // next batch
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
