package dev.autogaze.job;

import dev.autogaze.video.VideoProbe;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Estimated clips per video, for {@link WorkPlan}: from the manifest's frames/duration columns where a row has
 * them, else from the container header, read in one cheap Spark stage over the videos whose probe is a header read
 * (local files, shard members). The rest (remote files, table cells) have no estimate and weigh the median.
 */
public final class ClipEstimates {

    private ClipEstimates() {
    }

    /** Video id to estimated clips, for the videos that have an estimate ({@code jsc} null: columns only, no probe). */
    public static Map<String, Integer> of(JavaSparkContext jsc, List<VideoTask> tasks, JobOptions options, int parallelism) {
        Map<String, Integer> clips = new HashMap<>();
        List<VideoTask> probe = new ArrayList<>();
        for (VideoTask t : tasks) {
            Integer n = VideoProbe.clipsFromColumns(t.extraOrEmpty(), options.sampling(), t.toRef().windowStartSec(),
                    t.toRef().windowEndSec());
            if (n != null) {
                clips.put(t.videoId(), n);
            } else if (VideoProbe.isCheap(t.toRef())) {
                probe.add(t);
            }
        }
        if (!probe.isEmpty() && jsc != null) {
            jsc.sc().setJobDescription("autogaze: probing " + probe.size() + " containers for clip estimates");
            for (Tuple2<String, Integer> e : jsc.parallelize(probe, Math.min(parallelism, probe.size()))
                    .mapPartitions(new Probe(JobOptionsJson.toJson(options))).collect()) {
                clips.put(e._1(), e._2());
            }
        }
        return clips;
    }

    /** The probe of one partition of videos (options travel as JSON; the records are not Serializable). */
    private static final class Probe implements FlatMapFunction<Iterator<VideoTask>, Tuple2<String, Integer>> {
        private final String optionsJson;

        Probe(String optionsJson) {
            this.optionsJson = optionsJson;
        }

        @Override
        public Iterator<Tuple2<String, Integer>> call(Iterator<VideoTask> tasks) {
            JobOptions o = JobOptionsJson.fromJson(optionsJson);
            org.apache.hadoop.conf.Configuration hadoop = ExecutorEnv.hadoop();
            List<Tuple2<String, Integer>> out = new ArrayList<>();
            while (tasks.hasNext()) {
                VideoTask t = tasks.next();
                Integer n = VideoProbe.clips(t.toRef(), o.sampling(), hadoop, ExecutorEnv.videoTmp());
                if (n != null) {
                    out.add(new Tuple2<>(t.videoId(), n));
                }
            }
            return out.iterator();
        }
    }
}
