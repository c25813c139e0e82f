package dev.autogaze.integration;

import dev.autogaze.io.ClipCoordinates;
import dev.autogaze.io.ClipParquetReader;
import dev.autogaze.io.JobOutputs;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM consumer compiled and run the way docs/consumers.md says: {@code javac -cp "$(jobs/autogaze classpath)"}.
 * It reads a real job output with ClipParquetReader and prints what this JVM reads from the same files. Against the
 * shaded spark-submit jar alone the same program does not compile (Hadoop is Spark's), which is why the command
 * exists.
 */
class ConsumerClasspathIT {

    private static final String READER = """
            import dev.autogaze.io.ClipCoordinates;
            import dev.autogaze.io.ClipParquetReader;
            import org.apache.hadoop.conf.Configuration;

            public class Reader {
                public static void main(String[] args) throws Exception {
                    int clips = 0;
                    long tokens = 0;
                    try (ClipParquetReader r = ClipParquetReader.open(args[0], new Configuration(), false)) {
                        for (ClipCoordinates c = r.next(); c != null; c = r.next()) {
                            clips++;
                            tokens += c.tokenIndex().length;
                        }
                    }
                    System.out.println(clips + " clips, " + tokens + " tokens");
                }
            }
            """;

    @TempDir
    Path tmp;

    @Test
    void aProgramCompiledAgainstTheClasspathCommandReadsTheOutput() throws Exception {
        Path clips = JobOutputs.sample().resolve("clips");
        int expectedClips = 0;
        long expectedTokens = 0;
        try (ClipParquetReader r = ClipParquetReader.open(clips.toString(), new Configuration(), false)) {
            for (ClipCoordinates c = r.next(); c != null; c = r.next()) {
                expectedClips++;
                expectedTokens += c.tokenIndex().length;
            }
        }
        assertTrue(expectedClips > 0);

        Result cp = run(List.of(Path.of("jobs/autogaze").toAbsolutePath().toString(), "classpath"));
        assertEquals(0, cp.exit, cp.err);
        String classpath = cp.out.strip();
        assertTrue(classpath.contains("parquet-hadoop") && classpath.contains("hadoop-client-api"), classpath);

        Path src = Files.writeString(tmp.resolve("Reader.java"), READER);
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        String javaHome = System.getProperty("java.home");
        Result javac = run(List.of(javaHome + "/bin/javac", "-cp", classpath, "-d", classes.toString(), src.toString()));
        assertEquals(0, javac.exit, javac.out + javac.err);
        Result reader = run(List.of(javaHome + "/bin/java", "-cp", classpath + ":" + classes, "Reader",
                clips.toString()));
        assertEquals(0, reader.exit, reader.out + reader.err);
        assertEquals(expectedClips + " clips, " + expectedTokens + " tokens", reader.out.strip());

        String shaded = System.getProperty("autogaze.appJar");
        if (shaded != null && Files.isRegularFile(Path.of(shaded))) {
            Result alone = run(List.of(javaHome + "/bin/javac", "-cp", shaded, "-d", classes.toString(),
                    src.toString()));
            assertNotEquals(0, alone.exit, "the shaded jar alone now compiles the reader: the docs can say so");
            assertTrue(alone.err.contains("org.apache.hadoop.conf"), alone.err);
        }
    }

    private record Result(int exit, String out, String err) {
    }

    private Result run(List<String> command) throws IOException, InterruptedException {
        Path out = tmp.resolve("out-" + System.nanoTime());
        Path err = tmp.resolve("err-" + System.nanoTime());
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
