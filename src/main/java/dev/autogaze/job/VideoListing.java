package dev.autogaze.job;

import dev.autogaze.video.VideoDataset;
import dev.autogaze.video.VideoRef;
import org.apache.hadoop.conf.Configuration;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;

/** The driver's listing of a run's input, before Spark starts: an empty or missing input is one line naming it. */
public final class VideoListing {

    private VideoListing() {
    }

    /** Lists the input's videos; an empty listing is an error naming the input. */
    public static List<VideoRef> list(JobOptions options, Configuration hadoop) throws IOException {
        List<VideoRef> videos;
        try {
            videos = VideoDataset.load(options.input(), hadoop);
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("--input " + options.input() + ": " + e.getMessage(), e);
        }
        if (videos.isEmpty()) {
            throw new IllegalArgumentException("--input " + options.input() + " holds no videos");
        }
        return videos;
    }
}
