package dev.sluice.app.testing;

import java.util.HashMap;
import java.util.Map;

import dev.sluice.embedded.RegistryServer;
import dev.sluice.embedded.S3Server;

/** The parameters of the {@code s3-parquet-sink} template for a test's own sink on the shared platform. */
public final class LakeSinkParameters {

    private LakeSinkParameters() {
    }

    /**
     * A sink of {@code topic} into {@code bucket} under {@code topicsDir}, its errant records to {@code dlqTopic};
     * mutable, for a test to add its own.
     */
    public static Map<String, String> of(String topic, String bucket, String topicsDir, String dlqTopic,
            RegistryServer registry, S3Server s3) {
        Map<String, String> parameters = new HashMap<>();
        parameters.put("topics", topic);
        parameters.put("s3.bucket.name", bucket);
        parameters.put("s3.endpoint", s3.endpoint().toString());
        parameters.put("s3.region", s3.region());
        parameters.put("s3.path.style.access", "true");
        parameters.put("aws.access.key.id", s3.accessKey());
        parameters.put("aws.secret.access.key", s3.secretKey());
        parameters.put("topics.dir", topicsDir);
        parameters.put("dlq.topic", dlqTopic);
        parameters.put("registry.url", registry.registryV2Url());
        return parameters;
    }
}
