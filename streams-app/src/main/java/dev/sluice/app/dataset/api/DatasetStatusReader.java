package dev.sluice.app.dataset.api;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.sluice.app.dataset.DatasetSpec;
import dev.sluice.app.failure.Stage;
import dev.sluice.app.freshness.FreshnessMetrics;
import dev.sluice.app.freshness.FreshnessSettings;
import dev.sluice.app.freshness.FreshnessView;
import dev.sluice.app.freshness.Layer;
import dev.sluice.app.metrics.PipelineMetrics;
import dev.sluice.app.status.DeadLetterMonitor;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

/**
 * Puts a dataset's {@link DatasetStatus} together from {@link PipelineMetrics} (its entity tag is the dataset's
 * name), the {@link DeadLetterMonitor} (by source topic) and the freshness timers (their dataset tag is the last
 * part of the topic name).
 */
@Singleton
class DatasetStatusReader {

    private final PipelineMetrics metrics;
    private final FreshnessSettings freshness;
    @Nullable
    private final DeadLetterMonitor deadLetters;

    DatasetStatusReader(PipelineMetrics metrics, FreshnessSettings freshness, @Nullable DeadLetterMonitor deadLetters) {
        this.metrics = metrics;
        this.freshness = freshness;
        this.deadLetters = deadLetters;
    }

    DatasetStatus of(DatasetSpec spec) {
        String entity = spec.name();
        // Usually one tag: bronze.pg.customers and silver.customers are both dataset customers.
        Set<String> tags = new HashSet<>(List.of(FreshnessMetrics.datasetOf(spec.source().topic()),
                FreshnessMetrics.datasetOf(spec.silver().topic())));
        List<FreshnessMetrics.Reading> readings = metrics.freshness().readings().stream()
                .filter(r -> tags.contains(r.dataset())).toList();
        List<FreshnessView.Entry> entries = FreshnessView.of(readings, freshness).datasets();
        long commits = 0;
        long lastAt = 0;
        for (FreshnessMetrics.Reading reading : readings) {
            if (reading.layer() == Layer.LAKE) {
                commits += reading.count();
                lastAt = Math.max(lastAt, reading.lastAt());
            }
        }
        List<String> zones = spec.lake().map(l -> l.zones().stream()
                .map(z -> z.name().toLowerCase(Locale.ROOT)).sorted().toList()).orElse(List.of());
        return new DatasetStatus(
                (long) metrics.sum(PipelineMetrics.IN, "stage", Stage.DESERIALIZE.id(), "entity", entity),
                (long) metrics.sum(PipelineMetrics.OUT, "stage", Stage.ENRICH.id(), "entity", entity),
                deadLetters == null ? null : deadLetters.countsFrom(List.of(spec.source().topic(),
                        spec.silver().topic())),
                entries, new DatasetStatus.Lake(zones, commits,
                        lastAt == 0 ? null : Instant.ofEpochMilli(lastAt).toString()));
    }
}
