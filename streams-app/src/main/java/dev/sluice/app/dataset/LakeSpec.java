package dev.sluice.app.dataset;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where a dataset goes in the lake ({@code lake}).
 *
 * @param zones the layers whose lake sink takes this dataset's topic of that layer
 * @param partitionBy value fields partitioning the lake files, besides the event hour
 * @param retention lake retention of this dataset's partitions; empty: the zone's
 */
public record LakeSpec(Set<Zone> zones, List<String> partitionBy, Optional<Duration> retention) {

    /** A lake zone a dataset can be written to. */
    public enum Zone {
        BRONZE, SILVER
    }
}
