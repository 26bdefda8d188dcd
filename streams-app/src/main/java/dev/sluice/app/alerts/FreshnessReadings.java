package dev.sluice.app.alerts;

import java.util.Map;

/**
 * How stale each dataset's data is, per layer. The freshness metrics are built separately; this is the one thing
 * the freshness rule needs from them.
 */
public interface FreshnessReadings {

    /**
     * The worst freshness lag seen per {@code {layer, dataset}}, in seconds; empty while nothing is measured.
     */
    Map<Map<String, String>, Double> worstSeconds();
}
