package dev.autogaze.cli;

import picocli.CommandLine.Command;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * `jobs/autogaze classpath`: the classpath a JVM consumer of the output compiles and runs with. The shaded
 * spark-submit jar leaves out Hadoop and parquet-hadoop (Spark provides them on a cluster), so a program using
 * {@code ClipParquetReader} needs the launcher's classpath: the application jar and every dependency jar.
 */
@Command(name = "classpath", mixinStandardHelpOptions = true,
        description = "Print the classpath (app jar + dependencies, Hadoop and parquet-hadoop included) to compile and"
                + " run a JVM program that reads the output: javac -cp \"$(jobs/autogaze classpath)\" Reader.java")
public final class ClasspathCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        String cp = System.getProperty("java.class.path", "");
        List<String> entries = new ArrayList<>();
        for (String e : cp.split(File.pathSeparator)) {
            if (!e.isBlank()) {
                entries.add(Path.of(e).toAbsolutePath().normalize().toString());
            }
        }
        if (entries.stream().noneMatch(e -> e.endsWith(".jar") && e.contains("autogaze-spark"))) {
            System.err.println("autogaze classpath: this JVM was not started by jobs/autogaze (java.class.path has no"
                    + " autogaze-spark jar: " + cp + ")");
            return 1;
        }
        System.out.println(String.join(File.pathSeparator, entries));
        return 0;
    }
}
