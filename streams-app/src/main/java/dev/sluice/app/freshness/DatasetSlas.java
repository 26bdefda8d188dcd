package dev.sluice.app.freshness;

import java.time.Duration;
import java.util.Map;

/**
 * SLAs that datasets declare themselves (a specification's {@code freshness.sla}), by dataset. An interface of this
 * package so that the freshness settings need not know where datasets are defined.
 */
public interface DatasetSlas {

    /** The declared SLA of each dataset that declares one. */
    Map<String, Duration> slas();
}
