package dev.sluice.app.compaction;

import dev.sluice.lake.compaction.CompactionEngine;
import dev.sluice.lake.compaction.CurrentStatePublisher;
import dev.sluice.lake.compaction.CurrentStateSettings;
import dev.sluice.lake.compaction.SnapshotSpec;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The current-state publisher, when compaction and {@code sluice.compaction.current-state.enabled} are on. It
 * shares compaction's S3 client and settings; invalid settings stop the service at start naming the key.
 */
@Factory
@Requires(property = "sluice.compaction.enabled", value = "true")
@Requires(property = "sluice.compaction.current-state.enabled", value = "true")
class CurrentStateBeans {

    private static final String KEY = "sluice.compaction.current-state.";

    @Singleton
    CurrentStatePublisher currentStatePublisher(@Named("compaction") S3Client s3, CompactionEngine engine,
            CurrentStateConfiguration configuration) {
        try {
            return new CurrentStatePublisher(s3, engine.settings(), settings(configuration));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("sluice.compaction." + e.getMessage());
        }
    }

    /** The publisher's settings from the service's configuration. */
    static CurrentStateSettings settings(CurrentStateConfiguration c) {
        SnapshotSpec spec;
        try {
            spec = new SnapshotSpec(c.getKeyFields(), c.getDeletedField(), false);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(KEY + "key-fields / " + KEY + "deleted-field: " + e.getMessage());
        }
        try {
            return new CurrentStateSettings(c.getTopics(), spec, c.getRetention(), c.getMaxKeys());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("sluice.compaction." + e.getMessage());
        }
    }
}
