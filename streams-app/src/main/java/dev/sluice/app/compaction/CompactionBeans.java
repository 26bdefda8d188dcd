package dev.sluice.app.compaction;

import java.net.URI;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.sluice.lake.ParquetCodec;
import dev.sluice.lake.S3ClientFactory;
import dev.sluice.lake.compaction.CompactionEngine;
import dev.sluice.lake.compaction.CompactionSettings;
import dev.sluice.lake.compaction.SnapshotSpec;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The compaction engine and its S3 client, when {@code sluice.compaction.enabled} is true. Invalid settings stop
 * the service at start with a message naming the key.
 */
@Factory
@Requires(property = "sluice.compaction.enabled", value = "true")
class CompactionBeans {

    private static final String KEY = "sluice.compaction.";

    @Singleton
    @Named("compaction")
    @Bean(preDestroy = "close")
    S3Client compactionS3Client(CompactionConfiguration configuration) {
        CompactionConfiguration.S3 s3 = configuration.getS3();
        boolean access = s3.getAccessKey() != null && !s3.getAccessKey().isBlank();
        boolean secret = s3.getSecretKey() != null && !s3.getSecretKey().isBlank();
        if (access != secret) {
            throw new ConfigurationException(KEY + "s3.access-key and " + KEY + "s3.secret-key must be set together "
                    + "(or both left empty for the default AWS credentials chain)");
        }
        Optional<URI> endpoint;
        try {
            endpoint = s3.getEndpoint() == null || s3.getEndpoint().isBlank() ? Optional.empty()
                    : Optional.of(URI.create(s3.getEndpoint().strip()));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(KEY + "s3.endpoint is not a URL: " + e.getMessage());
        }
        return S3ClientFactory.create(s3.getRegion(), s3.isPathStyleAccess(), endpoint,
                access ? Optional.of(s3.getAccessKey().strip()) : Optional.empty(),
                secret ? Optional.of(s3.getSecretKey().strip()) : Optional.empty());
    }

    @Singleton
    @Bean(preDestroy = "close")
    CompactionEngine compactionEngine(@Named("compaction") S3Client s3, CompactionConfiguration configuration,
            Collection<SnapshotTopicConfiguration> snapshots) {
        return new CompactionEngine(s3, settings(configuration, snapshots));
    }

    /** The engine's settings from the service's configuration. */
    static CompactionSettings settings(CompactionConfiguration c, Collection<SnapshotTopicConfiguration> snapshots) {
        Map<String, SnapshotSpec> specs = new HashMap<>();
        for (SnapshotTopicConfiguration snapshot : snapshots) {
            String key = KEY + "snapshots." + snapshot.getLabel();
            if (snapshot.getTopic() == null || snapshot.getTopic().isBlank()) {
                throw new ConfigurationException(key + ".topic must name a topic");
            }
            try {
                specs.put(snapshot.getTopic().strip(), new SnapshotSpec(snapshot.getKeyFields(),
                        snapshot.getDeletedField(), snapshot.isKeepDeleteMarkers()));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(key + ": " + e.getMessage());
            }
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(c.getTimezone());
        } catch (DateTimeException e) {
            throw new ConfigurationException(KEY + "timezone '" + c.getTimezone() + "' is not a time zone");
        }
        ParquetCodec codec;
        try {
            codec = ParquetCodec.fromConfigName(c.getCodec());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(KEY + "codec: " + e.getMessage());
        }
        if (c.getPartSize() > Integer.MAX_VALUE || c.getPartSize() < 1) {
            throw new ConfigurationException(KEY + "part-size must be between 1 byte and 2GB");
        }
        try {
            return CompactionSettings.builder(c.getBucket())
                    .prefixes(c.getPrefixes())
                    .topics(c.getTopics())
                    .zone(zone)
                    .closedDelay(c.getClosedDelay())
                    .lookback(c.getLookback())
                    .targetFileBytes(c.getTargetFileSize())
                    .codec(codec)
                    .rowGroupBytes(c.getRowGroupSize())
                    .partBytes((int) c.getPartSize())
                    .gcGrace(c.getGcGrace())
                    .orphanGrace(c.getOrphanGrace())
                    .requireSinkCheckpoint(c.isRequireSinkCheckpoint())
                    .snapshots(specs)
                    .snapshotMaxKeys(c.getSnapshotMaxKeys())
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(KEY + e.getMessage());
        }
    }
}
