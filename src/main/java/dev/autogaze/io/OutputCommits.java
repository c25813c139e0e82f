package dev.autogaze.io;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The output folder's commit protocol, which makes a rerun after a kill at any moment give exactly the rows of a
 * clean run. A wave is written under {@code OUT/_staging/<wave>/} (clips/ and errors/, by Spark's committer), then
 * committed by creating {@code _staging/<wave>/_COMMITTED} (written beside, then renamed: the one atomic step),
 * then published by moving its data files into clips/ and errors/ (same relative paths, e.g. {@code split=train/};
 * Spark's file names carry the write's UUID, so waves never collide). Readers list only clips/ and errors/ and so
 * never see an uncommitted wave or a Spark temporary; {@link #recover}, run before every job, finishes publishing
 * committed waves a kill interrupted and deletes the others.
 */
public final class OutputCommits {

    public static final String STAGING_DIR = "_staging";
    public static final String COMMITTED = "_COMMITTED";
    /** Spark's committer folder; committed output never stays in one, so any found under OUT is stale. */
    public static final String SPARK_TEMPORARY = "_temporary";

    /** One wave's staging folders. */
    public record Wave(String id, Path staging, Path clips, Path errors) {
    }

    /** What {@link #recover} did: waves published on behalf of a killed run, and folders deleted. */
    public record Recovery(List<String> published, List<String> discarded, List<String> deletedTemporaries) {

        public boolean isEmpty() {
            return published.isEmpty() && discarded.isEmpty() && deletedTemporaries.isEmpty();
        }

        @Override
        public String toString() {
            return "published " + published + " (committed by a killed run), discarded " + discarded
                    + " (never committed), deleted " + deletedTemporaries;
        }
    }

    private final FileSystem fs;
    private final Path out;

    public OutputCommits(FileSystem fs, Path out) {
        this.fs = fs;
        this.out = fs.makeQualified(out); // listings return qualified paths: relative() compares against this
    }

    /** The output folder, qualified (a relative one names the working folder of whoever made this). */
    public Path root() {
        return out;
    }

    public Path clipsDir() {
        return new Path(out, OutputSchema.CLIPS_DIR);
    }

    public Path errorsDir() {
        return new Path(out, OutputSchema.ERRORS_DIR);
    }

    public Path stagingDir() {
        return new Path(out, STAGING_DIR);
    }

    /** A fresh staging folder for wave {@code id} (a name no other wave of this output uses). */
    public Wave begin(String id) throws IOException {
        Path staging = new Path(stagingDir(), id);
        if (fs.exists(staging)) {
            throw new IOException("wave " + id + " already exists under " + out);
        }
        return new Wave(id, staging, new Path(staging, OutputSchema.CLIPS_DIR), new Path(staging, OutputSchema.ERRORS_DIR));
    }

    /**
     * The commit point: after this returns, the wave's rows are part of the output even if the process dies before
     * {@link #publish}. {@code note} (one JSON object) is kept in the marker for someone reading a stuck staging folder.
     */
    public void commit(Wave wave, String note) throws IOException {
        for (Path p : new Path[] {wave.clips(), wave.errors()}) {
            if (!fs.exists(p)) {
                throw new IOException("cannot commit wave " + wave.id() + ": " + p + " was not written");
            }
        }
        Path tmp = new Path(wave.staging(), COMMITTED + ".tmp");
        try (FSDataOutputStream o = fs.create(tmp, true)) {
            o.write(note.getBytes(StandardCharsets.UTF_8));
        }
        if (!fs.rename(tmp, new Path(wave.staging(), COMMITTED))) {
            throw new IOException("cannot commit wave " + wave.id() + ": rename of " + tmp + " failed");
        }
    }

    /**
     * Moves a committed wave's data files into clips/ and errors/, then deletes its staging folder. Repeatable: a
     * file already moved is skipped, so a publish cut short by a kill is finished by calling this again.
     */
    public void publish(Wave wave) throws IOException {
        move(wave.errors(), wave.errors(), errorsDir());
        move(wave.clips(), wave.clips(), clipsDir());
        fs.delete(wave.staging(), true);
        deleteStagingIfEmpty();
    }

    /** OUT holds only clips/, errors/ and summary.json once no wave is in flight. */
    private void deleteStagingIfEmpty() throws IOException {
        if (fs.exists(stagingDir()) && list(stagingDir()).isEmpty()) {
            fs.delete(stagingDir(), true);
        }
    }

    /** Moves every data file under {@code dir} (relative to {@code root}) to the same place under {@code target}. */
    private void move(Path root, Path dir, Path target) throws IOException {
        for (FileStatus s : list(dir)) {
            String name = s.getPath().getName();
            if (name.startsWith("_") || name.startsWith(".")) {
                continue; // _SUCCESS, checksums: the data files are the output
            }
            Path to = new Path(target, relative(root, s.getPath()));
            if (s.isDirectory()) {
                move(root, s.getPath(), target);
            } else if (fs.exists(to)) {
                // moved before the kill (a store without atomic rename may have left the source too)
                fs.delete(s.getPath(), false);
            } else {
                fs.mkdirs(to.getParent());
                if (!fs.rename(s.getPath(), to)) {
                    throw new IOException("cannot publish " + s.getPath() + " as " + to + " (rename failed)");
                }
            }
        }
    }

    private static String relative(Path root, Path p) {
        String r = root.toUri().getPath();
        String f = p.toUri().getPath();
        if (!f.startsWith(r + "/")) {
            throw new IllegalStateException(p + " is not under " + root);
        }
        return f.substring(r.length() + 1);
    }

    /** Deletes a wave that will not be committed (its job failed); quietly, since the job is failing already. */
    public void abandon(Wave wave) {
        try {
            fs.delete(wave.staging(), true);
            deleteStagingIfEmpty();
        } catch (IOException | RuntimeException ignored) {
            // the next run's recover() deletes it
        }
    }

    /**
     * Finishes what a killed run left: publishes every committed wave, deletes uncommitted staging folders and any
     * Spark {@code _temporary} folder left in clips/ or errors/ by an older version of the job.
     */
    public Recovery recover() throws IOException {
        List<String> published = new ArrayList<>();
        List<String> discarded = new ArrayList<>();
        for (FileStatus s : list(stagingDir())) {
            String id = s.getPath().getName();
            Wave w = new Wave(id, s.getPath(), new Path(s.getPath(), OutputSchema.CLIPS_DIR),
                    new Path(s.getPath(), OutputSchema.ERRORS_DIR));
            if (fs.exists(new Path(s.getPath(), COMMITTED))) {
                publish(w);
                published.add(id);
            } else {
                fs.delete(s.getPath(), true);
                discarded.add(id);
            }
        }
        deleteStagingIfEmpty();
        List<String> temporaries = new ArrayList<>();
        for (Path t : temporaries()) {
            fs.delete(t, true);
            temporaries.add(t.toString());
        }
        return new Recovery(published, discarded, temporaries);
    }

    /** What a reader should not find: staging folders (a killed run, not yet recovered) and Spark temporaries. */
    public List<String> problems() throws IOException {
        List<String> out = new ArrayList<>();
        for (FileStatus s : list(stagingDir())) {
            boolean committed = fs.exists(new Path(s.getPath(), COMMITTED));
            out.add(s.getPath() + ": " + (committed
                    ? "a committed wave not yet published (a run was killed while publishing; rerun with --mode"
                    + " resume to publish it)"
                    : "an unfinished wave (a run was killed or failed; its rows are not in the output, and the next run"
                    + " deletes it)"));
        }
        for (Path t : temporaries()) {
            out.add(t + ": a stale Spark temporary folder (a killed run of an older version; the next run deletes it)");
        }
        return out;
    }

    /** {@code _temporary} folders directly in clips/ or errors/ or in one of their split folders. */
    private List<Path> temporaries() throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path table : new Path[] {clipsDir(), errorsDir()}) {
            for (FileStatus s : list(table)) {
                if (s.getPath().getName().equals(SPARK_TEMPORARY)) {
                    found.add(s.getPath());
                } else if (s.isDirectory() && fs.exists(new Path(s.getPath(), SPARK_TEMPORARY))) {
                    found.add(new Path(s.getPath(), SPARK_TEMPORARY));
                }
            }
        }
        return found;
    }

    private List<FileStatus> list(Path dir) throws IOException {
        try {
            List<FileStatus> all = new ArrayList<>(List.of(fs.listStatus(dir)));
            all.sort(java.util.Comparator.comparing(s -> s.getPath().getName()));
            return all;
        } catch (FileNotFoundException e) {
            return List.of();
        }
    }
}
