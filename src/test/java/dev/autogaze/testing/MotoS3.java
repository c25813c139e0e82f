package dev.autogaze.testing;

import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real S3-compatible server on loopback for the s3a tests: moto's standalone server (the `moto[server]` package
 * from PyPI, see src/main/python/requirements-test.txt), started on a free port and stopped on close.
 */
public final class MotoS3 implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private MotoS3(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the server and waits (up to 60 s) until it answers. */
    public static MotoS3 start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("moto-server", ".log");
        Process p = new ProcessBuilder("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        MotoS3 server = new MotoS3(p, port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(server.endpoint() + "/").toURL().openConnection();
                c.setConnectTimeout(500);
                if (c.getResponseCode() > 0) {
                    return server;
                }
            } catch (IOException notYet) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    server.close();
                    throw new IOException("moto server did not start (python3 -m moto.server; pip install"
                            + " 'moto[server]'): " + Files.readString(log));
                }
                Thread.sleep(200);
            }
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Creates a bucket (S3A does not create buckets). */
    public void createBucket(String name) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + "/" + name).toURL().openConnection();
        c.setRequestMethod("PUT");
        c.setDoOutput(true);
        c.getOutputStream().close();
        if (c.getResponseCode() != 200) {
            throw new IOException("cannot create bucket " + name + ": HTTP " + c.getResponseCode());
        }
    }

    /** The usual spark.hadoop.fs.s3a.* settings (without the prefix) for this server. */
    public void configure(Configuration conf) {
        conf.set("fs.s3a.endpoint", endpoint());
        conf.set("fs.s3a.path.style.access", "true");
        conf.set("fs.s3a.connection.ssl.enabled", "false");
        conf.set("fs.s3a.access.key", "testing");
        conf.set("fs.s3a.secret.key", "testing");
        conf.set("fs.s3a.endpoint.region", "us-east-1");
        conf.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
