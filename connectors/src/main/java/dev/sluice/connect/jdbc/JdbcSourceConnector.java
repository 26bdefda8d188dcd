package dev.sluice.connect.jdbc;

import dev.sluice.connect.PluginVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.util.ConnectorUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Connect source connector that copies rows of tables (or of a custom query) from any database with a
 * JDBC driver on the worker's class path into Kafka topics, in bulk or incrementally by an incrementing id
 * and/or a last-modified timestamp, resuming from its committed offsets after a restart.
 *
 * <p>{@link #validate} checks the configuration against the live database, so Connect's validate endpoint
 * and connector creation report an unknown table or column, an unreachable database or rejected
 * credentials against the setting to fix.
 */
public class JdbcSourceConnector extends SourceConnector {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcSourceConnector.class);
    /** The URLs of pgjdbc, the driver that reports the product as PostgreSQL. */
    private static final String POSTGRESQL_URL_PREFIX = "jdbc:postgresql:";

    private Map<String, String> props;
    private JdbcSourceConnectorConfig config;

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        this.config = new JdbcSourceConnectorConfig(props);
        this.props = Map.copyOf(props);
        LOG.info("Starting JDBC source connector: {} in mode {} from {}",
                config.query().isPresent() ? "custom query" : "tables " + config.tables(),
                config.mode().configValue(), ConnectionFactory.redact(config.connectionUrl()));
    }

    @Override
    public Class<? extends Task> taskClass() {
        return JdbcSourceTask.class;
    }

    /** One task for a custom query; for tables, min(tables, maxTasks) tasks sharing the tables evenly. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        if (config.query().isPresent()) {
            return List.of(taskConfig(List.of()));
        }
        List<TableId> tables = config.tables();
        int groups = Math.min(tables.size(), Math.max(maxTasks, 1));
        List<Map<String, String>> configs = new ArrayList<>(groups);
        for (List<TableId> group : ConnectorUtils.groupPartitions(tables, groups)) {
            configs.add(taskConfig(group));
        }
        return configs;
    }

    @Override
    public void stop() {
        LOG.info("Stopping JDBC source connector");
    }

    @Override
    public ConfigDef config() {
        return JdbcSourceConnectorConfig.configDef();
    }

    /**
     * Runs the ConfigDef validators, then the checks that involve several settings, then (when everything so
     * far is valid) the checks against the live database. Every error is attached to the setting to fix.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        Map<String, ConfigValue> values = result.configValues().stream()
                .collect(Collectors.toMap(ConfigValue::name, Function.identity(), (a, b) -> a, HashMap::new));
        JdbcSourceConnectorConfig.crossFieldErrors(name -> values.containsKey(name) ? values.get(name).value() : null)
                .forEach((key, message) -> values.get(key).addErrorMessage(message));
        boolean valid = values.values().stream().allMatch(v -> v.errorMessages().isEmpty());
        if (valid) {
            DatabaseValidator.validate(new JdbcSourceConnectorConfig(connectorConfigs))
                    .forEach((key, messages) -> messages.forEach(values.get(key)::addErrorMessage));
        }
        return result;
    }

    /**
     * SUPPORTED only where the source delivers every row change exactly once: timestamp+incrementing on
     * PostgreSQL, whose timestamp bound waits for the transactions in progress. Elsewhere a row can be skipped
     * or repeated whatever Connect does with the offsets: incrementing misses an id drawn by a transaction that
     * commits after a higher one was read, timestamp repeats the rows of one timestamp after a restart, bulk
     * copies everything again, and on other databases a transaction open longer than the delay is missed.
     */
    @Override
    public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
        boolean exact = Mode.fromConfigValue(connectorConfig.get(JdbcSourceConnectorConfig.MODE))
                .filter(m -> m == Mode.TIMESTAMP_INCREMENTING).isPresent()
                && String.valueOf(connectorConfig.get(JdbcSourceConnectorConfig.CONNECTION_URL)).strip()
                        .startsWith(POSTGRESQL_URL_PREFIX);
        return exact ? ExactlyOnceSupport.SUPPORTED : ExactlyOnceSupport.UNSUPPORTED;
    }

    /** Accepts offsets written through Connect's offsets REST API only if the task could read them. */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig,
                                Map<Map<String, ?>, Map<String, ?>> offsets) {
        for (Map.Entry<Map<String, ?>, Map<String, ?>> entry : offsets.entrySet()) {
            Map<String, ?> partition = entry.getKey();
            if (partition == null || partition.size() != 1
                    || !(partition.containsKey("table") || partition.containsKey("query"))) {
                throw new ConnectException("a source partition of this connector is {\"table\": \"<schema.table>\"} "
                        + "or {\"query\": \"<topic>\"}, got " + partition);
            }
            try {
                SourceOffset.fromMap(entry.getValue());
            } catch (IllegalArgumentException e) {
                throw new ConnectException("invalid offset for " + partition + ": " + e.getMessage());
            }
        }
        return true;
    }

    private Map<String, String> taskConfig(List<TableId> tables) {
        Map<String, String> task = new HashMap<>(props);
        task.put(JdbcSourceTaskConfig.TASK_TABLES,
                tables.stream().map(TableId::dottedName).collect(Collectors.joining(",")));
        return task;
    }
}
