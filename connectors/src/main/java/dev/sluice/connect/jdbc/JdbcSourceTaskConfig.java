package dev.sluice.connect.jdbc;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Settings of one {@link JdbcSourceTask}: the connector's settings plus the tables assigned to the task. */
public class JdbcSourceTaskConfig extends JdbcSourceConnectorConfig {

    /** Set by the connector, not by users: the tables this task reads. */
    public static final String TASK_TABLES = "task.tables";

    private static final ConfigDef TASK_CONFIG_DEF = JdbcSourceConnectorConfig.configDef()
            .define(TASK_TABLES, Type.LIST, "", Importance.HIGH,
                    "Set by the connector for each task: the tables the task reads (a subset of tables). "
                            + "Empty when the connector reads a custom query.");

    public JdbcSourceTaskConfig(Map<String, String> props) {
        super(TASK_CONFIG_DEF, props);
    }

    public List<TableId> taskTables() {
        return getList(TASK_TABLES).stream().map(TableId::parse).toList();
    }
}
