package dev.autogaze.job;

import dev.autogaze.io.ErrorRow;
import dev.autogaze.model.GazeOptions;
import dev.autogaze.model.PatchDiffGazeSource;
import dev.autogaze.model.PreparedClip;
import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.video.DecodedClip;
import dev.autogaze.video.RgbClip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static dev.autogaze.job.TestClips.clips;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gaze source's host part ({@code GazeSource.prepare}) runs on the decoding threads, the gaze loop gets the
 * prepared clips, and a clip that fails to prepare fails its video like a gaze failure: one GAZE error row counting
 * the rows written before it, the other videos untouched.
 */
@Timeout(60)
class PreparedClipsTest {

    @Test
    void clipsArePreparedOnDecodingThreadsAndAFailedPreparationIsOneGazeErrorRow() {
        Map<String, List<DecodedClip>> videos = new LinkedHashMap<>();
        videos.put("a", clips("a", 3, 96, 64));
        videos.put("b", clips("b", 4, 64, 64));
        videos.put("c", clips("c", 2, 64, 48));
        RgbClip poisoned = videos.get("b").get(2).frames();
        Preparing source = new Preparing(poisoned);

        ClipPipelineTest.Result out = ClipPipelineTest.Result.run(ClipPipelineTest.OPTIONS, source,
                TestClips.opener(videos), 2, "a", "b", "c");

        assertEquals(Set.of(), Set.copyOf(source.threads.stream().filter(t -> !t.startsWith("autogaze-decode-"))
                .toList()), "prepare ran outside the decoding threads");
        assertEquals(3 + 2 + 2, out.clips.size());
        // every row's clip went through the gaze loop prepared (b's clip 3 may be gazed too before b is stopped)
        assertTrue(source.gazedPrepared.size() >= 7, "gazed " + source.gazedPrepared.size());
        assertTrue(source.gazedPrepared.stream().noneMatch(p -> p.clip() == poisoned), "the failed clip was gazed");
        assertEquals(1, out.errors.size());
        ErrorRow e = out.errors.get(0);
        assertEquals("b", e.videoId());
        assertEquals(ClipPipeline.STAGE_GAZE, e.stage());
        assertEquals(2, e.clipsWritten());
        assertTrue(e.message().contains("clip 2") && e.message().contains("cannot prepare this clip"), e.message());
        assertEquals(1, out.counters.errors);
        assertEquals(7, out.counters.clips);
    }

    /** Patch-diff whose prepare records its thread and fails on one clip. */
    static final class Preparing extends ClipPipelineTest.Recording {
        final RgbClip poisoned;
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final List<PreparedClip> gazedPrepared = Collections.synchronizedList(new ArrayList<>());

        Preparing(RgbClip poisoned) {
            super(PatchDiffGazeSource.defaults());
            this.poisoned = poisoned;
        }

        @Override
        public PreparedClip prepare(RgbClip clip) {
            threads.add(Thread.currentThread().getName());
            if (clip == poisoned) {
                throw new IllegalStateException("cannot prepare this clip");
            }
            return super.prepare(clip);
        }

        @Override
        public List<GeneratedGaze> gazeEachPrepared(List<PreparedClip> clips, GazeOptions options) {
            gazedPrepared.addAll(clips);
            return super.gazeEachPrepared(clips, options);
        }
    }
}
