package dev.sluice.app.aggregate;

import java.time.Duration;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Settings of the gold aggregates ({@code sluice.aggregate.*}). Windows are fixed by what the aggregates mean
 * (revenue per product per hour, per region per UTC day); how late data may be is configurable:
 * <ul>
 * <li>{@code product-hourly-grace}: lateness accepted for the hourly product revenue, default 10m;</li>
 * <li>{@code region-daily-grace}: lateness accepted for the daily region revenue (and hence the customer running
 * totals, which count the same orders), default 1h;</li>
 * <li>{@code session-gap}: inactivity that ends a user session, default 30m;</li>
 * <li>{@code session-grace}: lateness accepted for sessions, default 10m;</li>
 * <li>{@code retention}: how long closed windows stay queryable in the stores, default 7d;</li>
 * <li>{@code dedupe-window}: how long an aggregated order or line id is remembered so that a replay (e.g. a new
 * CDC snapshot) never counts twice, default 2d.</li>
 * </ul>
 */
@ConfigurationProperties("sluice.aggregate")
public class AggregateSettings {

    public static final Duration HOUR = Duration.ofHours(1);
    public static final Duration DAY = Duration.ofDays(1);

    private Duration productHourlyGrace = Duration.ofMinutes(10);
    private Duration regionDailyGrace = Duration.ofHours(1);
    private Duration sessionGap = Duration.ofMinutes(30);
    private Duration sessionGrace = Duration.ofMinutes(10);
    private Duration retention = Duration.ofDays(7);
    private Duration dedupeWindow = Duration.ofDays(2);

    public Duration getProductHourlyGrace() {
        return productHourlyGrace;
    }

    public void setProductHourlyGrace(Duration productHourlyGrace) {
        this.productHourlyGrace = nonNegative(productHourlyGrace, "product-hourly-grace");
    }

    public Duration getRegionDailyGrace() {
        return regionDailyGrace;
    }

    public void setRegionDailyGrace(Duration regionDailyGrace) {
        this.regionDailyGrace = nonNegative(regionDailyGrace, "region-daily-grace");
    }

    public Duration getSessionGap() {
        return sessionGap;
    }

    public void setSessionGap(Duration sessionGap) {
        if (sessionGap == null || sessionGap.toMillis() < 1) {
            throw new IllegalArgumentException("sluice.aggregate.session-gap: must be at least 1ms");
        }
        this.sessionGap = sessionGap;
    }

    public Duration getSessionGrace() {
        return sessionGrace;
    }

    public void setSessionGrace(Duration sessionGrace) {
        this.sessionGrace = nonNegative(sessionGrace, "session-grace");
    }

    public Duration getRetention() {
        return retention;
    }

    public void setRetention(Duration retention) {
        this.retention = nonNegative(retention, "retention");
    }

    public Duration getDedupeWindow() {
        return dedupeWindow;
    }

    public void setDedupeWindow(Duration dedupeWindow) {
        if (dedupeWindow == null || dedupeWindow.toMillis() < 1) {
            throw new IllegalArgumentException("sluice.aggregate.dedupe-window: must be at least 1ms");
        }
        this.dedupeWindow = dedupeWindow;
    }

    /** Store retention of a window kind: at least window plus grace, as Kafka Streams requires. */
    public Duration retentionFor(Duration window, Duration grace) {
        Duration minimum = window.plus(grace);
        return retention.compareTo(minimum) < 0 ? minimum : retention;
    }

    private static Duration nonNegative(Duration value, String key) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException("sluice.aggregate." + key + ": must be zero or positive");
        }
        return value;
    }
}
