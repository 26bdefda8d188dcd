package dev.sluice.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * A real S3-API server (s3proxy with its filesystem backend) in a child JVM, bound to 127.0.0.1, with AWS
 * signature authentication. Objects live as files under its directory, so the lake survives restarts. Access key
 * and secret are generated on first start and kept in {@code credentials.properties} next to the data.
 */
public final class S3Server implements ChildJvmServer {

    /** The bucket of the data lake, created on start. */
    public static final String LAKE_BUCKET = "lake";

    private static final Logger LOG = LoggerFactory.getLogger(S3Server.class);
    private static final String COMPONENT = "s3";
    private static final String REGION = "us-east-1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ChildJvm process;
    private final URI endpoint;
    private final String accessKey;
    private final String secretKey;
    private final S3Client client;

    private S3Server(ChildJvm process, URI endpoint, String accessKey, String secretKey) {
        this.process = process;
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.client = S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .build();
    }

    /**
     * Starts the server on {@code dir} and creates the {@value #LAKE_BUCKET} bucket if it is missing.
     *
     * @param port HTTP port; 0 picks a free one
     */
    public static S3Server start(Path dir, int port) {
        int httpPort = Ports.orFree(port);
        Ports.requireFree(COMPONENT, httpPort);
        URI endpoint = URI.create("http://" + Ports.HOST + ":" + httpPort);
        Path logFile = dir.resolve("s3.log");
        Properties credentials;
        Path config = dir.resolve("s3proxy.properties");
        try {
            Path data = Files.createDirectories(dir.resolve("data"));
            credentials = credentials(dir);
            Properties props = new Properties();
            props.setProperty("s3proxy.endpoint", endpoint.toString());
            props.setProperty("s3proxy.authorization", "aws-v2-or-v4");
            props.setProperty("s3proxy.identity", credentials.getProperty("access.key"));
            props.setProperty("s3proxy.credential", credentials.getProperty("secret.key"));
            props.setProperty("jclouds.provider", "filesystem-nio2");
            props.setProperty("jclouds.filesystem.basedir", data.toString());
            props.setProperty("jclouds.identity", "local");
            props.setProperty("jclouds.credential", "local");
            Secrets.writePrivate(config, props, "s3proxy configuration written by sluice-embedded");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
        Path jar = ServerJars.s3proxy();
        ChildJvm jvm = ChildJvm.start(COMPONENT, List.of(jar), ChildJvm.mainClassOf(jar),
                List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                List.of("--properties", config.toString()), Map.of(), logFile);
        jvm.awaitReady(START_TIMEOUT, () -> answers(endpoint));
        S3Server server = new S3Server(jvm, endpoint, credentials.getProperty("access.key"),
                credentials.getProperty("secret.key"));
        server.createBucket(LAKE_BUCKET);
        LOG.info("s3 up endpoint={} bucket={} dir={}", endpoint, LAKE_BUCKET, dir);
        return server;
    }

    public URI endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return accessKey;
    }

    /** The secret access key. Never log it. */
    public String secretKey() {
        return secretKey;
    }

    public String region() {
        return REGION;
    }

    /** A client for this server (path-style addressing); owned by this object, do not close it. */
    public S3Client client() {
        return client;
    }

    /** Creates {@code bucket} unless it exists. */
    public void createBucket(String bucket) {
        try {
            client.createBucket(b -> b.bucket(bucket));
        } catch (BucketAlreadyOwnedByYouException e) {
            LOG.debug("bucket {} exists", bucket);
        }
    }

    @Override
    public ChildJvm jvm() {
        return process;
    }

    @Override
    public void close() {
        client.close();
        process.close();
    }

    private static boolean answers(URI endpoint) throws Exception {
        HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(2))
                .GET().build(), HttpResponse.BodyHandlers.discarding());
        // Any S3 answer (403 for the anonymous request) proves the server is listening and serving.
        return response.statusCode() > 0;
    }

    private static Properties credentials(Path dir) throws IOException {
        Path file = dir.resolve("credentials.properties");
        Properties props = Secrets.read(file);
        if (!props.containsKey("access.key")) {
            props.setProperty("access.key", "sluice-" + Secrets.random().substring(0, 12));
            props.setProperty("secret.key", Secrets.random());
            Secrets.writePrivate(file, props, "S3 credentials of the Sluice embedded platform");
        }
        return props;
    }
}
