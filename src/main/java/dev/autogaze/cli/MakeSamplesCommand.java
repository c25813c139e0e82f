package dev.autogaze.cli;

import dev.autogaze.video.SampleShards;
import dev.autogaze.video.SampleVideos;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** Writes the synthetic sample videos the demo and the tests use, as files or as a small WebDataset. */
@Command(name = "make-samples", mixinStandardHelpOptions = true,
        description = "Write the synthetic sample videos (moving shapes; H.264 and VP9; several sizes) to a directory,"
                + " or (--shards) as WebDataset tar shards.")
public final class MakeSamplesCommand implements Callable<Integer> {

    @Option(names = "--out", description = "Directory to write the videos into (created if missing).")
    Path out;

    @Option(names = "--shards", description = "Directory to write a WebDataset into instead: 00000.tar, ... with"
            + " KEY.mp4/.webm, KEY.json and KEY.txt per sample.")
    Path shards;

    @Option(names = "--shard-count", defaultValue = "2", description = "With --shards: shards (default ${DEFAULT-VALUE}).")
    int shardCount;

    @Option(names = "--samples-per-shard", defaultValue = "3",
            description = "With --shards: samples per shard (default ${DEFAULT-VALUE}).")
    int perShard;

    @Option(names = "--bench", description = "Also write the 10 s 640x360 H.264 and VP9 files bench-decode uses.")
    boolean bench;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        if ((out == null) == (shards == null)) {
            throw new IllegalArgumentException("give exactly one of --out DIR (video files) and --shards DIR (WebDataset)");
        }
        if (shards != null) {
            SampleShards.Written w = SampleShards.write(shards, shardCount, perShard);
            for (Path tar : w.shards()) {
                System.out.printf("%-40s %,11d bytes%n", tar, Files.size(tar));
            }
            System.out.printf("wrote %d shards, %d samples (KEY.mp4/.webm, KEY.json, KEY.txt) in %.1f s%n",
                    w.shards().size(), w.samples().size(), (System.nanoTime() - t0) / 1e9);
            return 0;
        }
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
