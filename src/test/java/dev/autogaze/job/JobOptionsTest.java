package dev.autogaze.job;

import dev.autogaze.model.AutoGazeModel;
import dev.autogaze.model.EngineChoice;
import dev.autogaze.model.GazeOptions;
import dev.autogaze.readout.CellToTokenRule;
import dev.autogaze.readout.Priority;
import dev.autogaze.readout.VideoTokenOptions;
import dev.autogaze.testing.Fixtures;
import dev.autogaze.video.SamplingOptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobOptionsTest {

    private static final JobOptions BASE = JobOptions.defaults("/videos", "/out");

    private static void assertRejected(String expected, Runnable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' should contain '" + expected + "'");
    }

    @Test
    void decodersLeaveTheCudaEngineItsFeedingThreadsWhileHalfTheCoresStillDecode() {
        JobOptions cuda = JobOptions.defaults("in", "out").withGazeSource(GazeSourceSpec.autogaze("/m")
                .withEngine(EngineChoice.CUDA).withCudaLanes(2));
        assertEquals(13, cuda.decodersFor(16), "16 cores less the gaze loop and 2 lanes");
        assertEquals(29, cuda.decodersFor(32));
        assertEquals(5, cuda.decodersFor(8));
        assertEquals(2, cuda.decodersFor(4), "half of 4: the feeding threads wait on the GPU most of the time");
        assertEquals(1, cuda.decodersFor(1));
        assertEquals(11, cuda.withGazeSource(cuda.gazeSource().withCudaLanes(4)).decodersFor(16));
        assertEquals(7, cuda.withDecoders(7).decodersFor(16), "--decoders wins");
        JobOptions jvm = cuda.withGazeSource(GazeSourceSpec.autogaze("/m").withEngine(EngineChoice.JVM));
        assertEquals(16, jvm.decodersFor(16), "host engines: every core decodes");
        assertEquals(16, cuda.withGazeSource(GazeSourceSpec.patchDiff()).decodersFor(16));
        assertEquals(1, jvm.decodersFor(0));
    }

    @Test
    void badValuesAreRejectedWithTheOptionNameAndValue() {
        assertRejected("--batch-size 0 must be >= 1", () -> BASE.withBatchSize(0));
        assertRejected("--decoders -1 must be >= 0", () -> BASE.withDecoders(-1));
        assertRejected("--partitions -1", () -> BASE.withPartitions(-1));
        assertRejected("--videos-per-commit 0", () -> BASE.withVideosPerCommit(0));
        assertRejected("--frame-height 250", () -> BASE.withDownstream(250, 224, 2, 16));
        assertRejected("not divisible by patch size 16", () -> BASE.withDownstream(250, 224, 2, 16));
        assertRejected("--clip-length 15", () -> BASE.withSampling(SamplingOptions.defaults().withClipLength(15)));
        assertRejected("--gazing-ratio-each-frame has 2 values but --clip-length is 16",
                () -> BASE.withGaze(GazeOptions.defaults().withRatioEachFrame(new float[] {0.5f, 0.5f})));
        assertRejected("--task-loss-requirement 0.7 needs the autogaze gaze source",
                () -> BASE.withGaze(GazeOptions.defaults().withTaskLossRequirement(0.7f)));
        assertRejected("--input is required", () -> JobOptions.defaults(" ", "/out"));
        assertRejected("--out is required", () -> JobOptions.defaults("/videos", ""));
        assertRejected("exceeds the 196 tokens", () -> BASE.withVideoTokens(VideoTokenOptions.defaults().withMinTokensPerBin(197)));
    }

    @Test
    void gazeSourceSpecsAreCheckedByName() {
        assertRejected("gaze source 'autogazer' is unknown", () -> GazeSourceSpec.Kind.parse("autogazer"));
        assertRejected("autogaze needs --model", () -> GazeSourceSpec.autogaze(null));
        assertRejected("--model /m was given but the gaze source is patch-diff",
                () -> new GazeSourceSpec(GazeSourceSpec.Kind.PATCH_DIFF, "/m", 8f));
        assertRejected("--model /m was given but the gaze source is patch-diff",
                () -> GazeSourceSpec.fromFlags("patch-diff", "/m", 8f));
        assertEquals(GazeSourceSpec.autogaze("/m"), GazeSourceSpec.fromFlags("AutoGaze", "/m", 8f));
        assertEquals(GazeSourceSpec.patchDiff(3f), GazeSourceSpec.fromFlags("patch-diff", null, 3f));
        assertRejected("--model /no/such/model does not exist",
                () -> GazeSources.validate(GazeSourceSpec.autogaze("/no/such/model")));
        GazeSources.validate(GazeSourceSpec.patchDiff());
    }

    @Test
    void decoderEngineIsParsedByFlagNameAndOnlyAutogazeTakesOne() {
        assertRejected("--engine gpu is unknown; use jvm, nd4j, cuda or auto",
                () -> GazeSourceSpec.fromFlags("autogaze", "/m", 8f, "gpu"));
        assertRejected("--engine nd4j was given but the gaze source is patch-diff",
                () -> GazeSourceSpec.fromFlags("patch-diff", null, 8f, "nd4j"));
        assertEquals(EngineChoice.ND4J, GazeSourceSpec.fromFlags("autogaze", "/m", 8f, "nd4j").engine());
        assertEquals(EngineChoice.AUTO, GazeSourceSpec.fromFlags("autogaze", "/m", 8f).engine());
        assertEquals(EngineChoice.AUTO, GazeSourceSpec.fromFlags("patch-diff", null, 8f, "auto").engine());
    }

    @Test
    void decoderEngineSurvivesTheJsonTripToExecutorsButNotTheConfigHash() {
        Path model = Fixtures.autogazeSet("nvidia-b2-t4").resolve("model");
        JobOptions jvm = BASE.withGazeSource(GazeSourceSpec.autogaze(model.toString()).withEngine(EngineChoice.JVM));
        JobOptions nd4j = jvm.withGazeSource(jvm.gazeSource().withEngine(EngineChoice.ND4J));
        String json = JobOptionsJson.toJson(nd4j);
        assertTrue(json.contains("\"engine\":\"nd4j\""), json);
        assertEquals(nd4j.gazeSource(), JobOptionsJson.fromJson(json).gazeSource());
        assertEquals(ConfigHash.of(jvm), ConfigHash.of(nd4j));
        assertEquals(ConfigHash.of(jvm), ConfigHash.of(jvm.withGazeSource(jvm.gazeSource().withEngine(EngineChoice.AUTO))));
    }

    @Test
    void cudaLanesSurviveTheJsonTripButNotTheConfigHashAndOnlyAutogazeTakesThem() {
        Path model = Fixtures.autogazeSet("nvidia-b2-t4").resolve("model");
        JobOptions two = BASE.withGazeSource(GazeSourceSpec.autogaze(model.toString()));
        assertEquals(AutoGazeModel.DEFAULT_CUDA_LANES, two.gazeSource().cudaLanes());
        JobOptions four = two.withGazeSource(two.gazeSource().withCudaLanes(4));
        String json = JobOptionsJson.toJson(four);
        assertTrue(json.contains("\"cuda_lanes\":4"), json);
        assertEquals(four.gazeSource(), JobOptionsJson.fromJson(json).gazeSource());
        assertEquals(ConfigHash.of(two), ConfigHash.of(four));
        // options written before lanes existed read back with the default
        String old = JobOptionsJson.toJson(two).replace(",\"cuda_lanes\":" + AutoGazeModel.DEFAULT_CUDA_LANES, "");
        assertFalse(old.contains("cuda_lanes"), old);
        assertEquals(two.gazeSource(), JobOptionsJson.fromJson(old).gazeSource());
        assertRejected("--cuda-lanes 0 must be in 1..8", () -> two.gazeSource().withCudaLanes(0));
        assertRejected("--cuda-lanes 9 must be in 1..8", () -> two.gazeSource().withCudaLanes(9));
        assertRejected("--cuda-lanes 3 was given but the gaze source is patch-diff",
                () -> GazeSourceSpec.patchDiff().withCudaLanes(3));
    }

    @Test
    void resolutionTargetSurvivesTheJsonTripChangesTheConfigHashAndIsValidatedAgainstTheModel() {
        Path model = Fixtures.autogazeSet("nvidia-b2-t4").resolve("model");
        JobOptions plain = BASE.withGazeSource(GazeSourceSpec.autogaze(model.toString()));
        JobOptions siglip = plain.withGazeSource(plain.gazeSource()
                .withTarget(dev.autogaze.model.ResolutionTarget.parse("56,112,196,392", 14)));
        String json = JobOptionsJson.toJson(siglip);
        assertTrue(json.contains("\"target\":{\"scales\":[56,112,196,392],\"patch\":14}"), json);
        assertEquals(siglip.gazeSource(), JobOptionsJson.fromJson(json).gazeSource());
        assertEquals(plain.gazeSource(), JobOptionsJson.fromJson(JobOptionsJson.toJson(plain)).gazeSource());
        assertNotEquals(ConfigHash.of(plain), ConfigHash.of(siglip));
        GazeSources.validate(siglip.gazeSource());
        assertRejected("target scales [112, 224] have 2 entries; the gaze model has 4 scales [32, 64, 112, 224] and"
                + " needs as many", () -> GazeSources.validate(plain.gazeSource()
                .withTarget(dev.autogaze.model.ResolutionTarget.parse("112,224", 16))));
    }

    @Test
    void tilesSurviveTheJsonTripAndChangeTheConfigHashOnlyWhenOn() {
        JobOptions tiled = BASE.withTiles(true);
        assertTrue(JobOptionsJson.fromJson(JobOptionsJson.toJson(tiled)).tiles());
        assertEquals(false, JobOptionsJson.fromJson(JobOptionsJson.toJson(BASE)).tiles());
        assertTrue(!JobOptionsJson.toJson(BASE).contains("tiles"), "left out when off: " + JobOptionsJson.toJson(BASE));
        assertNotEquals(ConfigHash.of(BASE), ConfigHash.of(tiled));
    }

    @Test
    void autogazeModelFolderWithoutWeightsFailsValidationNamingIt() throws Exception {
        Path model = Files.createTempDirectory("model");
        Files.writeString(model.resolve("config.json"), "{}");
        assertRejected("--model " + model + ": model folder " + model + " has no config.json and model.safetensors",
                () -> GazeSources.validate(GazeSourceSpec.autogaze(model.toString())));
    }

    @Test
    void jsonRoundTripKeepsEveryOption() {
        JobOptions o = BASE.withMode(WriteMode.RESUME).withGazeSource(GazeSourceSpec.patchDiff(12.5f))
                .withGaze(GazeOptions.defaults().withRatio(0.3f).withMaxGazeTokensPerFrame(40))
                .withSampling(SamplingOptions.defaults().withTargetFps(2.5).withClipLength(8).withMaxClipsPerVideo(3)
                        .withMaxFramesPerVideo(5000))
                .withDownstream(448, 320, 4, 32)
                .withReadout(dev.autogaze.readout.ReadoutOptions.defaults().withDilation(1)
                        .withRule(CellToTokenRule.minFraction(0.25)).withPriority(Priority.CONFIDENCE))
                .withVideoTokens(new VideoTokenOptions(50, 100, 2)).withBatchSize(3).withDecoders(5)
                .withPartitions(7).withVideosPerCommit(11);
        String json = JobOptionsJson.toJson(o);
        JobOptions back = JobOptionsJson.fromJson(json);
        assertEquals(json, JobOptionsJson.toJson(back));
        assertEquals(o.sampling(), back.sampling());
        assertEquals(o.readout(), back.readout());
        assertEquals(o.gaze(), back.gaze());
        assertEquals(o.gazeSource(), back.gazeSource());
        assertEquals(3, back.batchSize());
        assertEquals(5, back.decoders());
        GazeOptions each = GazeOptions.defaults().withRatioEachFrame(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f,
                0.7f, 0.8f});
        JobOptions withEach = o.withGaze(each);
        assertEquals(each, JobOptionsJson.fromJson(JobOptionsJson.toJson(withEach)).gaze());
    }
}
