package dev.autogaze.job;

import dev.autogaze.video.VideoDataset;
import dev.autogaze.video.VideoTable;
import org.apache.hadoop.conf.Configuration;

import java.io.FileNotFoundException;
import java.io.IOException;

/** The driver's listing of a run's input, before Spark starts: an empty or missing input is one line naming it. */
public final class VideoListing {

    private VideoListing() {
    }

    /**
     * Lists the input's videos; an empty listing is an error naming the input. Manifest rows that name no usable
     * video are kept aside for the job's error rows.
     */
    public static VideoDataset.Listing list(JobOptions options, Configuration hadoop) throws IOException {
        VideoDataset.Listing videos;
        try {
            videos = options.videoColumn() != null
                    ? VideoTable.listing(options.input(), options.videoColumn(), options.keepColumns(), hadoop)
                    : VideoDataset.listing(options.input(), options.keepColumns(), hadoop);
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("--input " + options.input() + ": " + e.getMessage(), e);
        }
        if (videos.videos().isEmpty() && videos.rejected().isEmpty()) {
            throw new IllegalArgumentException("--input " + options.input() + " holds no videos");
        }
        return videos;
    }
}
