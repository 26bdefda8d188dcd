package dev.sluice.connect.transforms;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Configuration of {@link PartitionByField}. Every key is documented in {@link #CONFIG_DEF}. */
public final class PartitionByFieldConfig extends AbstractConfig {

    public static final String FIELD = "field";
    public static final String PARTITIONS = "partitions";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(FIELD, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Top-level field whose value chooses the partition. It is read from the record value (a "
                            + "struct, after any unwrapping transform before this one) and, when the value is null "
                            + "or lacks it, from the key. A record with the field in neither fails the task.")
            .define(PARTITIONS, Type.INT, ConfigDef.NO_DEFAULT_VALUE, Range.atLeast(1), Importance.HIGH,
                    "Partitions of the topics this transform is applied to. It must equal their partition count "
                            + "and, for the bronze order topics, streams-app's sluice.topics.partitions: the "
                            + "topology checks each record's partition against the same count.");

    public PartitionByFieldConfig(Map<?, ?> props) {
        super(CONFIG_DEF, props);
    }

    public String field() {
        return getString(FIELD);
    }

    public int partitions() {
        return getInt(PARTITIONS);
    }
}
