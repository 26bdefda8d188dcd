package dev.sluice.connect.transforms;

import dev.sluice.connect.PluginVersion;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Sends each record to the partition that Kafka's default partitioner gives a string key equal to the decimal text of
 * one of its fields. Applied to {@code bronze.pg.orders} on {@code id} and to {@code bronze.pg.order_items} on
 * {@code order_id}, it puts an order and its lines on the same partition number — the one streams-app's enricher
 * would repartition them to (it keys them by that text) — so the enricher reads them where they land, without a
 * repartition hop. Records it is not applied to, or placed otherwise, are still enriched correctly: streams-app
 * reroutes them through its {@code enrich.order-events} topic and counts them.
 *
 * <p>Debezium's own PartitionRouting hashes the field's Java value instead, which matches no Kafka Streams
 * partitioner; moving the enricher's state to that placement would need every deployment to be reset.
 */
public final class PartitionByField<R extends ConnectRecord<R>> implements Transformation<R>, Versioned {

    private String field;
    private int partitions;

    @Override
    public void configure(Map<String, ?> props) {
        PartitionByFieldConfig config = new PartitionByFieldConfig(props);
        field = config.field();
        partitions = config.partitions();
    }

    @Override
    public R apply(R record) {
        Object value = fieldOf(record.value());
        if (value == null) {
            value = fieldOf(record.key());
        }
        if (value == null) {
            throw new DataException("PartitionByField: a record of topic " + record.topic() + " has no non-null '"
                    + field + "' (config '" + PartitionByFieldConfig.FIELD + "') in its value or key");
        }
        return record.newRecord(record.topic(), partitionOf(String.valueOf(value), partitions), record.keySchema(),
                record.key(), record.valueSchema(), record.value(), record.timestamp(), record.headers());
    }

    /** Where Kafka's default partitioner puts a record whose key is {@code text} serialized as UTF-8. */
    static int partitionOf(String text, int partitions) {
        return Utils.toPositive(Utils.murmur2(text.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private Object fieldOf(Object data) {
        if (data instanceof Struct struct) {
            Field f = struct.schema().field(field);
            return f == null ? null : struct.get(f);
        }
        if (data instanceof Map<?, ?> map) {
            return map.get(field);
        }
        return null;
    }

    @Override
    public ConfigDef config() {
        return PartitionByFieldConfig.CONFIG_DEF;
    }

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    public void close() {
    }
}
