package dev.sluice.connect.cdc;

import dev.sluice.connect.PluginVersion;
import dev.sluice.connect.errors.ConvertOrDeadLetterConfig.OnFailure;
import dev.sluice.connect.errors.SourceDeadLetter;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Gives Debezium PostgreSQL changes read with {@code decimal.handling.mode=string} the schemas and values of
 * {@code precise} mode (see {@link StringDecimals}), so that bronze keeps exact decimals, while a numeric
 * {@code 'NaN'}, {@code 'Infinity'} or {@code '-Infinity'} - which precise mode cannot convert, failing the task
 * before any record exists - becomes a dead letter here (mode {@code dead-letter}) or fails the task naming its
 * table and column (mode {@code fail}).
 *
 * <p>Place it after Debezium's ExtractNewRecordState and before anything that reads a decimal field; its dead
 * letters are JSON bytes on the dead-letter topic, which {@link dev.sluice.connect.errors.ConvertOrDeadLetter} passes
 * through.
 */
public final class PreciseDecimals<R extends ConnectRecord<R>> implements Transformation<R>, Versioned {

    private StringDecimals decimals;
    private OnFailure onFailure;
    private String topic;

    @Override
    public void configure(Map<String, ?> props) {
        PreciseDecimalsConfig config = new PreciseDecimalsConfig(props);
        decimals = new StringDecimals(config.moneyFractionDigits());
        onFailure = config.onFailure();
        topic = config.topic();
    }

    @Override
    public R apply(R record) {
        if (record == null) {
            return null;
        }
        Schema keySchema = decimals.schema(record.keySchema());
        Schema valueSchema = decimals.schema(record.valueSchema());
        if (keySchema == record.keySchema() && valueSchema == record.valueSchema()) {
            return record;
        }
        Object key;
        Object value;
        try {
            key = decimals.value(record.keySchema(), keySchema, record.key());
            value = decimals.value(record.valueSchema(), valueSchema, record.value());
        } catch (DataException e) {
            DataException named = new DataException(SourceDeadLetter.table(record) + "." + e.getMessage());
            if (onFailure == OnFailure.FAIL) {
                throw named;
            }
            return SourceDeadLetter.record(record, named, topic);
        }
        return record.newRecord(record.topic(), record.kafkaPartition(), keySchema, key, valueSchema, value,
                record.timestamp(), record.headers());
    }

    @Override
    public ConfigDef config() {
        return PreciseDecimalsConfig.CONFIG_DEF;
    }

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    public void close() {
    }
}
