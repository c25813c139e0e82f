package dev.autogaze.model.cuda;

import dev.autogaze.model.AutoGazeGazeSource;
import dev.autogaze.model.AutoGazeModel;
import dev.autogaze.model.AutoGazeProcessor;
import dev.autogaze.model.AutoGazeWeights;
import dev.autogaze.model.BicubicResize;
import dev.autogaze.model.DecoderEngine;
import dev.autogaze.model.EngineChoice;
import dev.autogaze.model.GazeOptions;
import dev.autogaze.model.GazeResult;
import dev.autogaze.model.ParityReport;
import dev.autogaze.model.PixelValues;
import dev.autogaze.model.PreparedClip;
import dev.autogaze.model.ReferenceCase;
import dev.autogaze.model.TraceReplay;
import dev.autogaze.readout.GeneratedGaze;
import dev.autogaze.testing.Fixtures;
import dev.autogaze.testing.SameRows;
import dev.autogaze.video.RgbClip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CUDA engine on a real GPU against the official model's fixtures: exact tokens from raw video and from the
 * recorded vision embeddings, teacher-forced logits within 1e-4, the encoder within 1e-5, rows independent of their
 * batch, and the errors a GPU user meets. Skipped, saying why, where no CUDA device is usable (CI has none).
 */
@RequiresGpu
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class CudaEngineTest {

    @ParameterizedTest
    @ValueSource(strings = {"nvidia-b1-t16", "nvidia-b2-t4", "nvidia-preprocess-240x320"})
    void everyFixtureCaseIsExactFromRawVideoAndFromTheRecordedEmbeddings(String set) {
        Path dir = Fixtures.autogazeSet(set);
        List<RgbClip> clips = ReferenceCase.rawClips(dir);
        try (AutoGazeModel model = AutoGazeModel.load(dir.resolve("model"), 1, EngineChoice.CUDA)) {
            for (ReferenceCase c : ReferenceCase.all(dir)) {
                assertNull(ParityReport.firstMismatch(c, model.generate(clips, c.options())), c.name() + " from raw");
                assertNull(ParityReport.firstMismatch(c,
                        model.generate(c.visionEmbeds(), c.batch(), c.frames(), c.options())), c.name() + " from embeds");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nvidia-b1-t16", "nvidia-b2-t4"})
    void teacherForcedLogitsStayWithin1e4OfEveryTracedCall(String set) {
        Path dir = Fixtures.autogazeSet(set);
        try (CudaEngine engine = CudaEngine.open(AutoGazeWeights.load(dir.resolve("model")), null);
             DecoderEngine decoder = engine.decoderEngine()) {
            for (ReferenceCase c : ReferenceCase.all(dir)) {
                if (c.hasTrace()) {
                    TraceReplay.Result r = TraceReplay.replay(decoder, c);
                    assertTrue(r.maxAbsDiff() <= 1e-4, c.name() + ": max |diff| " + r.maxAbsDiff() + " at call "
                            + r.worstCall());
                }
            }
        }
    }

    @Test
    void encoderMatchesTheRecordedVisionEmbeddingsIncludingTheBicubicSquash() {
        for (String set : List.of("nvidia-b1-t16", "nvidia-preprocess-240x320")) {
            Path dir = Fixtures.autogazeSet(set);
            ReferenceCase c = ReferenceCase.all(dir).get(0);
            AutoGazeProcessor processor = AutoGazeProcessor.forModel(dir.resolve("model"));
            try (CudaEngine engine = CudaEngine.open(AutoGazeWeights.load(dir.resolve("model")), null);
                 CudaSteps steps = engine.newSteps()) {
                List<RgbClip> clips = ReferenceCase.rawClips(dir);
                float[][] square = new float[clips.size()][];
                for (int b = 0; b < clips.size(); b++) {
                    PixelValues p = processor.process(clips.get(b));
                    int size = engine.config().inputImageSize();
                    square[b] = p.height() == size && p.width() == size ? p.data()
                            : BicubicResize.squash(p.data(), p.frames() * 3, p.height(), p.width(), size);
                }
                steps.encode(square, c.frames());
                float[] got = steps.visionToHost();
                float[] want = c.visionEmbeds();
                assertEquals(want.length, got.length, set);
                double worst = 0;
                for (int i = 0; i < want.length; i++) {
                    worst = Math.max(worst, Math.abs((double) want[i] - got[i]));
                }
                assertTrue(worst <= 1e-5, set + ": vision_embeds max |diff| " + worst);
            }
        }
    }

    @Test
    void everyRowOfAMixedBatchEqualsThatClipGazedAlone() {
        // two different clips whose rows stop at different steps under this requirement (the b2-t4 split case)
        Path dir = Fixtures.autogazeSet("nvidia-b2-t4");
        ReferenceCase split = ReferenceCase.named(dir, "r075_tlsplit");
        List<RgbClip> mixed = mixedClips(dir, 9, 3);
        for (GazeOptions o : List.of(split.options(), GazeOptions.defaults(), GazeOptions.defaults().withRatio(0.3f)
                .withTaskLossRequirement(0.7f))) {
            // one lane: the 9 rows run as one batch (attention_dk), each clip alone as B = 1 (attention_d1p)
            try (AutoGazeModel model = AutoGazeModel.load(dir.resolve("model"), 1, EngineChoice.CUDA, null, 1)) {
                List<GazeResult> batch = model.generateEach(mixed, o);
                for (int b = 0; b < mixed.size(); b++) {
                    SameRows.assertSameRow(model.generateEach(List.of(mixed.get(b)), o).get(0).gaze(),
                            batch.get(b).gaze(), o + " row " + b);
                }
            }
        }
    }

    @Test
    void lanesSplitABatchWithoutChangingAnyRow() {
        Path dir = Fixtures.autogazeSet("nvidia-b2-t4");
        ReferenceCase split = ReferenceCase.named(dir, "r075_tlsplit");
        List<RgbClip> mixed = mixedClips(dir, 14, 4);
        try (AutoGazeModel one = AutoGazeModel.load(dir.resolve("model"), 1, EngineChoice.CUDA, null, 1);
             AutoGazeModel three = AutoGazeModel.load(dir.resolve("model"), 1, EngineChoice.CUDA, null, 3)) {
            assertTrue(three.engine().contains("3 lanes"), three.engine());
            for (GazeOptions o : List.of(split.options(), GazeOptions.defaults())) {
                // three's rows 0-4, 5-9 and 10-13 run at once, one's in one batch
                SameRows.assertSameRows(one.generateEach(mixed, o), three.generateEach(mixed, o), o.toString());
            }
        }
    }

    @Test
    void noDecodeSpanChangesABit() {
        // a small batch streams one chunk per block by default; spans of 2, 3 and 5 chunks (3 and 5 leave a last
        // block short) must write the same partials, so the rows are the same to the bit
        Path dir = Fixtures.autogazeSet("nvidia-b2-t4");
        List<RgbClip> mixed = mixedClips(dir, 6, 3);
        GazeOptions o = ReferenceCase.named(dir, "r075_tlsplit").options();
        List<GazeResult> expected;
        try (AutoGazeModel model = AutoGazeModel.load(dir.resolve("model"), 1, EngineChoice.CUDA, null, 1)) {
            expected = model.generateEach(mixed, o);
        }
        for (String span : List.of("2", "3", "5")) {
            System.setProperty("autogaze.cuda.decodeSpan", span);
            try (AutoGazeModel model = AutoGazeModel.load(dir.resolve("model"), 1, EngineChoice.CUDA, null, 1)) {
                SameRows.assertSameRows(expected, model.generateEach(mixed, o), "span " + span);
            } finally {
                System.clearProperty("autogaze.cuda.decodeSpan");
            }
        }
    }

    /** `count` clips of nvidia-b2-t4: its second clip at every `every`-th place, its first elsewhere. */
    private static List<RgbClip> mixedClips(Path dir, int count, int every) {
        List<RgbClip> two = ReferenceCase.rawClips(dir);
        List<RgbClip> mixed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            mixed.add(two.get(i % every == 0 ? 1 : 0));
        }
        return mixed;
    }

    @Test
    void rowsThatStopApartDifferFromTheOfficialBatchOnlyByTheirPads() {
        // official semantics pad a finished row while the other continues; alone it stops: its real gazes agree
        Path dir = Fixtures.autogazeSet("nvidia-b2-t4");
        ReferenceCase split = ReferenceCase.named(dir, "r075_tlsplit");
        List<RgbClip> two = ReferenceCase.rawClips(dir);
        try (AutoGazeModel model = AutoGazeModel.load(dir.resolve("model"), 1, EngineChoice.CUDA)) {
            GazeResult official = model.generate(two, split.options());
            List<GazeResult> each = model.generateEach(two, split.options());
            boolean anyShorter = false;
            for (int b = 0; b < 2; b++) {
                GeneratedGaze one = each.get(b).gaze();
                anyShorter |= one.gazingPos()[0].length < official.gaze().gazingPos()[b].length;
                assertEquals(FirstFrame.real(official.gaze(), b), FirstFrame.real(one, 0), "row " + b);
            }
            assertTrue(anyShorter, "the split case must make one row stop before the other");
        }
    }

    @Test
    void theDeviceProcessorGivesTheHostProcessorAndSquashBitForBit() {
        Path dir = Fixtures.autogazeSet("nvidia-preprocess-240x320");
        AutoGazeProcessor host = AutoGazeProcessor.forModel(dir.resolve("model"));
        java.util.Random random = new java.util.Random(7);
        List<RgbClip> clips = new ArrayList<>(List.of(ReferenceCase.rawClips(dir).get(0)));
        // every pass: both Pillow passes and the squash (640x360, 99x301), the squash alone, and nothing (224x224)
        for (int[] wh : new int[][] {{640, 360}, {99, 301}, {224, 224}, {230, 224}}) {
            byte[][] frames = new byte[3][wh[0] * wh[1] * 3];
            for (byte[] f : frames) {
                random.nextBytes(f);
            }
            clips.add(new RgbClip(wh[0], wh[1], frames));
        }
        try (AutoGazeModel model = AutoGazeModel.load(dir.resolve("model"), 1, EngineChoice.CUDA)) {
            for (RgbClip clip : clips) {
                PixelValues p = host.process(clip);
                float[] want = BicubicResize.squash(p.data(), p.frames() * 3, p.height(), p.width(), 224);
                float[] got = model.cuda().processOnDevice(clip, host.plan(clip.height(), clip.width(), 224));
                assertArrayEquals(want, got, clip.width() + "x" + clip.height());
            }
        }
    }

    @Test
    void clipsPreparedOnOtherThreadsGetWhatGazeEachGivesThem() throws Exception {
        // the CUDA engine leaves nothing to prepare on the host: the job's decoding threads hand over RGB clips
        Path dir = Fixtures.autogazeSet("nvidia-preprocess-240x320");
        RgbClip wide = ReferenceCase.rawClips(dir).get(0);
        List<RgbClip> clips = List.of(wide, wide, wide);
        try (AutoGazeGazeSource source = new AutoGazeGazeSource(AutoGazeModel.load(dir.resolve("model"), 1,
                EngineChoice.CUDA))) {
            List<PreparedClip> prepared = new ArrayList<>();
            for (RgbClip c : clips) {
                FutureTask<PreparedClip> task = new FutureTask<>(() -> source.prepare(c));
                new Thread(task).start();
                prepared.add(task.get());
            }
            assertNull(prepared.get(0).pixels());
            assertEquals(source.gazeEach(clips, GazeOptions.defaults()),
                    source.gazeEachPrepared(prepared, GazeOptions.defaults()));
        }
    }

    @Test
    void aBatchTooLargeForTheDeviceFailsNamingTheBatchSizeToLower() {
        Path dir = Fixtures.autogazeSet("nvidia-b1-t16");
        try (CudaEngine engine = CudaEngine.open(AutoGazeWeights.load(dir.resolve("model")), null);
             CudaSteps steps = engine.newSteps()) {
            CudaOutOfMemoryException e = assertThrows(CudaOutOfMemoryException.class,
                    () -> steps.begin(1 << 20, 16, 196, 6400, new float[1]));
            assertTrue(e.getMessage().contains("batch of 1048576 clips") && e.getMessage().contains("lower --batch-size"),
                    e.getMessage());
            // the engine still works afterwards: nothing half-allocated stays behind
            ReferenceCase c = ReferenceCase.named(dir, "r075_tl07");
            GazeResult r = new dev.autogaze.model.GazeGenerator(steps, engine.config().layout())
                    .generate(c.visionEmbeds(), c.batch(), c.frames(), c.options());
            assertNull(ParityReport.firstMismatch(c, r));
        }
    }

    @Test
    void anAddressThatNamesNoDeviceFailsWithOneLineListingTheDevices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CudaDevice.resolve("97"));
        assertTrue(e.getMessage().startsWith("GPU address '97' names no CUDA device; present: 0 = GPU-"),
                e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'));
        CudaDevice first = CudaDevice.all().get(0);
        assertEquals(first, CudaDevice.resolve(first.uuid()));
        assertEquals(first, CudaDevice.resolve("0"));
    }

    /** The real gazes of a row's first frame (frames after it may differ: their histories differ by pads). */
    private static final class FirstFrame {
        static List<Long> real(GeneratedGaze g, int b) {
            List<Long> out = new ArrayList<>();
            for (int i = 0; i < g.numGazingEachFrame()[0]; i++) {
                if (!g.padded()[b][i]) {
                    out.add(g.gazingPos()[b][i]);
                }
            }
            return out;
        }
    }
}
