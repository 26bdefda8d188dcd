package dev.sluice.connect.s3;

import dev.sluice.connect.PluginVersion;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Kafka Connect sink that writes topics into S3 as Hive-partitioned Parquet, exactly once.
 * Configuration: {@link S3ParquetSinkConfig}; design: docs/connectors/s3-parquet-sink.md.
 */
public class S3ParquetSinkConnector extends SinkConnector {

    private Map<String, String> props;

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        new S3ParquetSinkConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return S3ParquetSinkTask.class;
    }

    /** Every task gets the same configuration; Kafka assigns the partitions. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return Collections.nCopies(maxTasks, props);
    }

    @Override
    public void stop() {
        props = null;
    }

    @Override
    public ConfigDef config() {
        return S3ParquetSinkConfig.CONFIG_DEF;
    }
}
