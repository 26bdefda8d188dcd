package dev.sluice.app.testing;

import dev.sluice.embedded.S3Server;
import java.util.LinkedHashMap;
import java.util.Map;

/** The settings of an app that serves the lake's APIs on a real S3 server, without Kafka, on a random port. */
public final class LakeAppProperties {

    private LakeAppProperties() {
    }

    /** Compaction on (no schedule unless {@code cron} is set) over {@code prefixes}, mutations behind {@code token}. */
    public static Map<String, Object> of(S3Server s3, String prefixes, String token, String cron) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("kafka.enabled", false);
        props.put("sluice.api.token", token);
        props.put("sluice.compaction.enabled", true);
        props.put("sluice.compaction.cron", cron);
        props.put("sluice.compaction.bucket", S3Server.LAKE_BUCKET);
        props.put("sluice.compaction.prefixes", prefixes);
        props.put("sluice.compaction.s3.endpoint", s3.endpoint().toString());
        props.put("sluice.compaction.s3.path-style-access", true);
        props.put("sluice.compaction.s3.access-key", s3.accessKey());
        props.put("sluice.compaction.s3.secret-key", s3.secretKey());
        return props;
    }
}
