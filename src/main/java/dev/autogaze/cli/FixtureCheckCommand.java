package dev.autogaze.cli;

import dev.autogaze.model.AdaptedGeneration;
import dev.autogaze.model.AutoGazeModel;
import dev.autogaze.model.AutoGazeWeights;
import dev.autogaze.model.DecoderEngine;
import dev.autogaze.model.EngineChoice;
import dev.autogaze.model.GazeResult;
import dev.autogaze.model.ParityReport;
import dev.autogaze.model.ReferenceCase;
import dev.autogaze.model.ResolutionTarget;
import dev.autogaze.model.TraceReplay;
import dev.autogaze.video.RgbClip;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Runs the model on a reference fixture folder and reports, per case, whether its outputs match exactly. */
@Command(name = "fixture-check", mixinStandardHelpOptions = true,
        description = "Run the AutoGaze model on a fixture folder's inputs for every case in metadata.json and report "
                + "exact matches or the first mismatch (frame, row, position); exit 1 on any mismatch.")
public final class FixtureCheckCommand implements Callable<Integer> {

    /** Where generation starts. */
    enum From { raw, embeds }

    @Parameters(index = "0", description = "fixture folder (metadata.json, inputs.safetensors, case_*.safetensors, model/)")
    Path dir;

    @Option(names = "--from", description = "raw = raw_video_u8 through processor and encoder (default); "
            + "embeds = the recorded vision_embeds (decoder only)")
    From from = From.raw;

    @Option(names = "--trace", negatable = true, description = "also replay each traced case teacher-forced and print "
            + "the largest logit / task-loss difference (default: true)")
    boolean trace = true;

    @Option(names = "--threads", description = "decoder threads (default: available processors)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Mixin
    EngineMixin engine;

    @Override
    public Integer call() {
        EngineChoice choice = engine.choice();
        List<ReferenceCase> cases = ReferenceCase.all(dir);
        ResolutionTarget target = ReferenceCase.target(dir);
        if (target != null && from == From.embeds) {
            throw new IllegalArgumentException("--from embeds: fixture " + dir + " runs resolution adaptation to "
                    + target + ", whose tiles are encoded from raw video; use --from raw");
        }
        Path modelDir = dir.resolve("model");
        int failures = 0;
        try (AutoGazeModel model = AutoGazeModel.load(modelDir, threads, choice, engine.gpu(), engine.cudaLanes())) {
            AdaptedGeneration adapted = target == null ? null : new AdaptedGeneration(model, target);
            System.out.printf(Locale.ROOT, "fixture %s: %d cases, model %s, input %s, decoder engine %s%n", dir,
                    cases.size(), modelDir, from == From.raw ? "raw_video_u8 -> processor -> encoder" : "vision_embeds",
                    model.engine());
            if (adapted != null) {
                System.out.println("  resolution adaptation: " + adapted.adapter());
            }
            List<RgbClip> clips = from == From.raw ? ReferenceCase.rawClips(dir) : null;
            for (ReferenceCase c : cases) {
                System.out.flush();
                long t0 = System.nanoTime();
                GazeResult r = adapted != null ? adapted.generate(clips, c.options())
                        : from == From.raw ? model.generate(clips, c.options())
                        : model.generate(c.visionEmbeds(), c.batch(), c.frames(), c.options());
                double seconds = (System.nanoTime() - t0) / 1e9;
                String mismatch = ParityReport.firstMismatch(c, r);
                int calls = r.timings().prefillCalls() + r.timings().decodeCalls();
                System.out.printf(Locale.ROOT, "  %-14s ratio %.2f req %-6s B=%d T=%d calls %4d  %6.2f s  %s%n",
                        c.name(), c.options().gazingRatio(), c.options().taskLossRequirement(), c.batch(), c.frames(),
                        calls, seconds, mismatch == null ? "EXACT (gazing_pos, if_padded_gazing, num_gazing_each_frame,"
                                + " masks)" : "MISMATCH: " + mismatch);
                if (mismatch != null) {
                    failures++;
                }
            }
            if (trace) {
                failures += replayTraces(model, cases, choice, modelDir);
            }
        }
        System.out.println(failures == 0 ? "all cases match" : failures + " check(s) failed");
        return failures == 0 ? 0 : 1;
    }

    /** Teacher-forced replay of every traced case on the model's engine; returns the cases beyond 1e-4. */
    private int replayTraces(AutoGazeModel model, List<ReferenceCase> cases, EngineChoice choice, Path modelDir) {
        int failures = 0;
        try (DecoderEngine decoder = model.cuda() != null ? model.cuda().decoderEngine()
                : choice.open(AutoGazeWeights.load(modelDir), threads)) {
            for (ReferenceCase c : cases) {
                if (!c.hasTrace()) {
                    System.out.printf(Locale.ROOT, "  %-14s teacher-forced: no trace stored%n", c.name());
                    continue;
                }
                TraceReplay.Result t = TraceReplay.replay(decoder, c);
                boolean ok = t.maxAbsDiff() <= 1e-4;
                System.out.printf(Locale.ROOT, "  %-14s teacher-forced: %d calls, max |diff| %.3g (call %d) %s%n",
                        c.name(), t.calls(), t.maxAbsDiff(), t.worstCall(), ok ? "within 1e-4" : "BEYOND 1e-4");
                if (!ok) {
                    failures++;
                }
            }
        }
        return failures;
    }
}
