package dev.sluice.app.freshness;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Freshness as this instance measured it over the last {@code windowSeconds}: per dataset and layer the latency
 * from the source, and whether the dataset's SLA is met.
 *
 * @param windowSeconds how far back the percentiles look
 * @param datasets      one entry per dataset and layer measured, by dataset then layer
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "StatusFreshness")
public record FreshnessView(long windowSeconds, List<Entry> datasets) {

    /** Whether a dataset at a layer meets its SLA. */
    public enum SlaState {
        /** The recent p99 is within the SLA. */
        MET,
        /** The recent p99 exceeds the SLA. */
        BREACHED,
        /** Nothing was measured within the window: the percentiles would say nothing (see consumer lag). */
        NO_DATA
    }

    /**
     * @param dataset      the {@code dataset} tag
     * @param layer        bronze, silver, gold or lake
     * @param p50Seconds   median latency over the window; null without recent data
     * @param p99Seconds   99th percentile over the window; null without recent data
     * @param maxSeconds   largest latency over the window; null without recent data
     * @param count        measurements since this instance started
     * @param lastMeasured when the last record was measured, ISO-8601
     * @param slaSeconds   the dataset's SLA
     * @param sla          MET, BREACHED or NO_DATA
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "StatusFreshnessEntry")
    public record Entry(String dataset, String layer, @Nullable Double p50Seconds, @Nullable Double p99Seconds,
            @Nullable Double maxSeconds, long count, String lastMeasured, double slaSeconds, SlaState sla) {
    }

    /** Evaluates {@code readings} against the SLAs of {@code settings}. */
    public static FreshnessView of(List<FreshnessMetrics.Reading> readings, FreshnessSettings settings) {
        List<Entry> entries = readings.stream().map(reading -> entry(reading, settings)).toList();
        return new FreshnessView(FreshnessMetrics.WINDOW.toSeconds(), entries);
    }

    static Entry entry(FreshnessMetrics.Reading reading, FreshnessSettings settings) {
        double sla = settings.slaOf(reading.dataset()).toMillis() / 1000.0;
        String last = Instant.ofEpochMilli(reading.lastAt()).toString();
        if (!reading.recent()) {
            return new Entry(reading.dataset(), reading.layer().id(), null, null, null, reading.count(), last, sla,
                    SlaState.NO_DATA);
        }
        SlaState state = reading.p99Seconds() <= sla
                ? SlaState.MET : SlaState.BREACHED;
        return new Entry(reading.dataset(), reading.layer().id(), reading.p50Seconds(), reading.p99Seconds(),
                reading.maxSeconds(), reading.count(), last, sla, state);
    }
}
