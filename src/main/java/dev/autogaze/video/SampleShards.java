package dev.autogaze.video;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small WebDataset of the sample videos, laid out as video2dataset writes one: shards {@code 00000.tar}, ...,
 * each sample {@code KEY.mp4} (or {@code .webm}), {@code KEY.json} (key, caption, size, frames) and {@code KEY.txt}
 * (the caption), keys numbered across shards. For the README's readers and the tests.
 */
public final class SampleShards {

    private SampleShards() {
    }

    /** What {@link #write} made: the shards and each sample's id ({@code shard/key}) with its spec. */
    public record Written(List<Path> shards, Map<String, SampleVideos.Spec> samples) {
    }

    /**
     * Writes {@code shards} shards of {@code perShard} samples into {@code dir}, the sample videos of
     * {@link SampleVideos#DEFAULT_SET} in turn.
     */
    public static Written write(Path dir, int shards, int perShard) throws IOException {
        if (shards < 1 || perShard < 1) {
            throw new IllegalArgumentException("shards " + shards + " and samples per shard " + perShard
                    + " must be >= 1");
        }
        Files.createDirectories(dir);
        Path videos = Files.createTempDirectory(dir, ".videos");
        try {
            List<SampleVideos.Spec> specs = SampleVideos.DEFAULT_SET;
            List<Path> files = SampleVideos.writeSet(videos, specs);
            List<Path> out = new ArrayList<>();
            Map<String, SampleVideos.Spec> samples = new LinkedHashMap<>();
            int n = 0;
            for (int s = 0; s < shards; s++) {
                String shard = String.format(Locale.ROOT, "%05d", s);
                Map<String, byte[]> members = new LinkedHashMap<>();
                for (int i = 0; i < perShard; i++, n++) {
                    SampleVideos.Spec spec = specs.get(n % specs.size());
                    String key = String.format(Locale.ROOT, "%09d", n);
                    String caption = "moving shapes over a texture, " + spec.width() + "x" + spec.height() + ", "
                            + spec.codec().name();
                    members.put(key + "." + spec.codec().extension(), Files.readAllBytes(files.get(n % specs.size())));
                    members.put(key + ".json", String.format(Locale.ROOT, "{\"key\": \"%s\", \"caption\": \"%s\","
                                    + " \"width\": %d, \"height\": %d, \"frames\": %d, \"fps\": %d}", key, caption,
                            spec.width(), spec.height(), spec.frames(), spec.fps()).getBytes(StandardCharsets.UTF_8));
                    members.put(key + ".txt", caption.getBytes(StandardCharsets.UTF_8));
                    samples.put(shard + "/" + key, spec);
                }
                Path tar = dir.resolve(shard + ".tar");
                writeTar(tar, members);
                out.add(tar);
            }
            return new Written(out, samples);
        } finally {
            for (Path p : Files.list(videos).toList()) {
                Files.delete(p);
            }
            Files.delete(videos);
        }
    }

    /** A tar of these members, in order (POSIX/PAX format, as Python's tarfile writes by default). */
    public static void writeTar(Path tar, Map<String, byte[]> members) throws IOException {
        try (OutputStream file = Files.newOutputStream(tar);
             TarArchiveOutputStream out = new TarArchiveOutputStream(file)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(m.getKey());
                e.setSize(m.getValue().length);
                e.setModTime(0);
                out.putArchiveEntry(e);
                out.write(m.getValue());
                out.closeArchiveEntry();
            }
            out.finish();
        }
    }
}
