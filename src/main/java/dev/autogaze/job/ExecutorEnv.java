package dev.autogaze.job;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.apache.spark.deploy.SparkHadoopUtil;

import java.nio.file.Path;

/** What code running in an executor task needs from it: Hadoop settings and a local scratch folder. */
final class ExecutorEnv {

    private ExecutorEnv() {
    }

    /**
     * The executor's Hadoop settings, spark.hadoop.* included (credentials for s3a:, hdfs: and so on); plain
     * defaults outside Spark.
     */
    static Configuration hadoop() {
        SparkEnv env = SparkEnv.get();
        return env == null ? new Configuration() : SparkHadoopUtil.get().newConfiguration(env.conf());
    }

    /** Where remote videos are copied: the executor's own work directory (the JVM's temp dir outside Spark). */
    static Path videoTmp() {
        return Path.of(SparkEnv.get() == null ? System.getProperty("java.io.tmpdir") : SparkFiles.getRootDirectory(),
                "autogaze-videos");
    }
}
