package dev.sluice.devstack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What applying dataset specifications added to the demo connectors at run time (docs/datasets.md, "What the
 * platform does"): tables in the CDC connector's {@code table.include.list}, topics in a lake sink's {@code topics}
 * and their partition settings. {@code ./sluice up} registers the connectors from their templates at every start;
 * without this the restart would take the datasets' tables and topics out again.
 */
final class DatasetAdditions {

    /** Comma-separated settings whose entries datasets add to. */
    static final List<String> LISTS = List.of("table.include.list", "topics");
    /** The Parquet sink's partition fields per topic. */
    static final String PARQUET_PARTITIONS = "topic.partition.fields";

    private DatasetAdditions() {
    }

    /**
     * {@code rendered} plus what {@code registered} (the configuration Connect holds, if any) has beyond it: list
     * entries it lacks, and the per-topic partition settings of topics datasets added.
     */
    static Map<String, String> keep(Map<String, String> registered, Map<String, String> rendered) {
        Map<String, String> merged = new LinkedHashMap<>(rendered);
        for (String key : LISTS) {
            if (rendered.containsKey(key) && registered.containsKey(key)) {
                List<String> entries = entries(rendered.get(key));
                entries(registered.get(key)).stream().filter(entry -> !entries.contains(entry)).forEach(entries::add);
                merged.put(key, String.join(",", entries));
            }
        }
        registered.forEach((key, value) -> {
            boolean partitions = key.equals(PARQUET_PARTITIONS)
                    || key.startsWith("iceberg.table.") && key.endsWith(".partition-by");
            if (partitions && !rendered.containsKey(key)) {
                merged.put(key, value);
            }
        });
        return merged;
    }

    private static List<String> entries(String value) {
        List<String> entries = new ArrayList<>();
        for (String entry : value.split(",")) {
            if (!entry.isBlank()) {
                entries.add(entry.strip());
            }
        }
        return entries;
    }
}
