package dev.sluice.app.dataset.source;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.app.connect.ConnectorRequest;
import dev.sluice.app.connect.ConnectorService;
import dev.sluice.app.dataset.DatasetActions;
import dev.sluice.app.dataset.DatasetSpec;
import dev.sluice.app.dataset.LakeSpec;
import dev.sluice.connect.admin.ConnectRestException;
import jakarta.inject.Singleton;

/**
 * The lake side of a dataset ({@code lake}): its topic of each zone in {@code lake.zones} (bronze: the source
 * topic, silver: the silver topic) joins that zone's lake sink - {@code lake-<zone>} (S3 Parquet) and
 * {@code lake-iceberg-<zone>} (Apache Iceberg), whichever exist - partitioned by {@code lake.partition-by} besides
 * the event hour: the Parquet sink's {@code topic.partition.fields} entry of the topic, the Iceberg sink's
 * {@code iceberg.table.<topic>.partition-by} (Iceberg applies it to tables it creates only). Deleting the dataset
 * takes the topics out again; files already written stay.
 */
@Singleton
public class LakeSinkActions implements DatasetActions {

    static final String PARQUET_PARTITIONS = "topic.partition.fields";
    private static final Logger LOG = LoggerFactory.getLogger(LakeSinkActions.class);
    private static final int MAX_PARTITION_FIELDS = 3;
    private static final String ICEBERG_HOUR = "hours(__kafka_timestamp)";

    private static final Duration REBALANCE_WAIT = Duration.ofSeconds(30);
    private static final Duration REBALANCE_POLL = Duration.ofMillis(500);

    private final ConnectorService connectors;
    private final Clock clock;

    public LakeSinkActions(ConnectorService connectors, Clock clock) {
        this.connectors = connectors;
        this.clock = clock;
    }

    /** The sink connector names of {@code zone}, in both lake formats. */
    static List<String> sinkNames(LakeSpec.Zone zone) {
        String layer = zone.name().toLowerCase(Locale.ROOT);
        return List.of("lake-" + layer, "lake-iceberg-" + layer);
    }

    @Override
    public List<String> problems(DatasetSpec spec) {
        if (spec.lake().isEmpty()) {
            return List.of();
        }
        LakeSpec lake = spec.lake().get();
        List<String> problems = new ArrayList<>();
        if (lake.partitionBy().size() > MAX_PARTITION_FIELDS) {
            problems.add("lake.partition-by: at most " + MAX_PARTITION_FIELDS + " fields (object keys stay below "
                    + "S3's limit), not " + lake.partitionBy().size());
        }
        for (LakeSpec.Zone zone : lake.zones()) {
            try {
                if (sinks(zone).isEmpty()) {
                    problems.add("lake.zones: no lake sink of zone " + zone.name().toLowerCase(Locale.ROOT)
                            + " on Kafka Connect (" + String.join(" or ", sinkNames(zone)) + ")");
                }
            } catch (RuntimeException e) {
                problems.add("lake.zones: Kafka Connect cannot tell which lake sinks exist: " + e.getMessage());
            }
        }
        return problems;
    }

    @Override
    public void apply(DatasetSpec spec) {
        if (spec.lake().isEmpty()) {
            return;
        }
        List<String> problems = problems(spec);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("dataset " + spec.name() + ": " + String.join("; ", problems));
        }
        LakeSpec lake = spec.lake().get();
        for (LakeSpec.Zone zone : lake.zones()) {
            String topic = topicOf(spec, zone);
            for (String sink : sinks(zone)) {
                Map<String, String> config = rebalanceTolerant(() -> connectors.storedConfig(sink));
                Map<String, String> changed = withTopic(config, topic, lake.partitionBy());
                put(sink, config, changed);
                LOG.info("dataset lake applied dataset={} sink={} topic={} partitionBy={} changed={}", spec.name(),
                        sink, topic, lake.partitionBy(), !changed.equals(config));
            }
        }
    }

    @Override
    public void remove(DatasetSpec spec) {
        if (spec.lake().isEmpty()) {
            return;
        }
        for (LakeSpec.Zone zone : spec.lake().get().zones()) {
            String topic = topicOf(spec, zone);
            for (String sink : sinks(zone)) {
                Map<String, String> config = rebalanceTolerant(() -> connectors.storedConfig(sink));
                Map<String, String> changed = withoutTopic(config, topic);
                put(sink, config, changed);
                LOG.info("dataset lake removed dataset={} sink={} topic={} changed={}", spec.name(), sink, topic,
                        !changed.equals(config));
            }
        }
    }

    /** {@code config} with {@code topic} among its topics, partitioned by {@code fields}. */
    static Map<String, String> withTopic(Map<String, String> config, String topic, List<String> fields) {
        Map<String, String> changed = new LinkedHashMap<>(config);
        List<String> topics = list(config.get("topics"), ",");
        if (!topics.contains(topic)) {
            topics.add(topic);
        }
        changed.put("topics", String.join(",", topics));
        if (isIceberg(config)) {
            String key = "iceberg.table." + topic + ".partition-by";
            if (fields.isEmpty()) {
                changed.remove(key);
            } else {
                changed.put(key, ICEBERG_HOUR + "," + String.join(",", fields));
            }
        } else {
            Map<String, String> partitions = parquetPartitions(config);
            if (fields.isEmpty()) {
                partitions.remove(topic);
            } else {
                partitions.put(topic, String.join(";", fields));
            }
            putParquetPartitions(changed, partitions);
        }
        return changed;
    }

    /** {@code config} without {@code topic} and its partition setting. */
    static Map<String, String> withoutTopic(Map<String, String> config, String topic) {
        Map<String, String> changed = new LinkedHashMap<>(config);
        List<String> topics = list(config.get("topics"), ",");
        topics.remove(topic);
        changed.put("topics", String.join(",", topics));
        if (isIceberg(config)) {
            changed.remove("iceberg.table." + topic + ".partition-by");
        } else {
            Map<String, String> partitions = parquetPartitions(config);
            partitions.remove(topic);
            putParquetPartitions(changed, partitions);
        }
        return changed;
    }

    private List<String> sinks(LakeSpec.Zone zone) {
        return sinkNames(zone).stream().filter(name -> rebalanceTolerant(() -> connectors.exists(name))).toList();
    }

    private void put(String sink, Map<String, String> before, Map<String, String> after) {
        if (after.equals(before)) {
            return;
        }
        Map<String, Object> config = new LinkedHashMap<>(after);
        config.remove("name");
        rebalanceTolerant(() -> connectors.update(sink, new ConnectorRequest(null, null, null, config)));
    }

    /**
     * {@code call}, repeated while Connect answers 409 because its group rebalances: a change of another connector
     * just before (the CDC connector's include list, applied first) triggers one, and it passes within seconds.
     */
    private <T> T rebalanceTolerant(Supplier<T> call) {
        Instant deadline = clock.instant().plus(REBALANCE_WAIT);
        while (true) {
            try {
                return call.get();
            } catch (ConnectRestException e) {
                if (e.status() != 409 || clock.instant().isAfter(deadline)) {
                    throw e;
                }
            }
            try {
                Thread.sleep(REBALANCE_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while Kafka Connect rebalances", e);
            }
        }
    }

    private static String topicOf(DatasetSpec spec, LakeSpec.Zone zone) {
        return zone == LakeSpec.Zone.BRONZE ? spec.source().topic() : spec.silver().topic();
    }

    private static boolean isIceberg(Map<String, String> config) {
        return config.getOrDefault("connector.class", "").contains("Iceberg");
    }

    private static Map<String, String> parquetPartitions(Map<String, String> config) {
        Map<String, String> partitions = new LinkedHashMap<>();
        for (String entry : list(config.get(PARQUET_PARTITIONS), ",")) {
            int equals = entry.indexOf('=');
            partitions.put(entry.substring(0, Math.max(equals, 0)).strip(), entry.substring(equals + 1).strip());
        }
        return partitions;
    }

    private static void putParquetPartitions(Map<String, String> config, Map<String, String> partitions) {
        if (partitions.isEmpty()) {
            config.remove(PARQUET_PARTITIONS);
        } else {
            config.put(PARQUET_PARTITIONS, partitions.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(",")));
        }
    }

    private static List<String> list(String value, String separator) {
        List<String> items = new ArrayList<>();
        if (value != null) {
            Arrays.stream(value.split(separator)).map(String::strip).filter(s -> !s.isEmpty()).forEach(items::add);
        }
        return items;
    }
}
