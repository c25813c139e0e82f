package dev.autogaze.cli;

import dev.autogaze.video.SampleVideos;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** Writes the synthetic sample videos the demo and the tests use. */
@Command(name = "make-samples", mixinStandardHelpOptions = true,
        description = "Write the synthetic sample videos (moving shapes; H.264 and VP9; several sizes) to a directory.")
public final class MakeSamplesCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "Directory to write into (created if missing).")
    Path out;

    @Option(names = "--bench", description = "Also write the 10 s 640x360 H.264 and VP9 files bench-decode uses.")
    boolean bench;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        List<SampleVideos.Spec> specs = new java.util.ArrayList<>(SampleVideos.DEFAULT_SET);
        if (bench) {
            specs.addAll(SampleVideos.BENCH_SET);
        }
        List<Path> files = SampleVideos.writeSet(out, specs);
        for (int i = 0; i < files.size(); i++) {
            SampleVideos.Spec s = specs.get(i);
            System.out.printf("%-40s %4dx%-4d %3d frames @ %d fps  %-5s %,9d bytes%n", files.get(i), s.width(),
                    s.height(), s.frames(), s.fps(), s.codec(), Files.size(files.get(i)));
        }
        System.out.printf("wrote %d videos in %.1f s%n", files.size(), (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
