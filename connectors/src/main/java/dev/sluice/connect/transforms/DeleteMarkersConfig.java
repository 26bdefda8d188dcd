package dev.sluice.connect.transforms;

import dev.sluice.lake.KafkaColumns;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Configuration of {@link DeleteMarkers}. Every key is documented in {@link #CONFIG_DEF}. */
public final class DeleteMarkersConfig extends AbstractConfig {

    public static final String BEHAVIOR_ON_NULL_VALUES = "behavior.on.null.values";

    /** What becomes of a record whose value is null, as the S3 Parquet sink's setting of the same name. */
    public enum NullValues {
        /** The record is errant: Connect's error handling sends it to the dead letter queue. */
        FAIL,
        /** Records pass unchanged; the sink after the transform decides (Iceberg's passes over a null value). */
        IGNORE,
        /** Tombstones become delete-marker rows, and every row gets the key and deleted columns. */
        DELETE
    }

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(BEHAVIOR_ON_NULL_VALUES, Type.STRING, "delete",
                    ConfigDef.CaseInsensitiveValidString.in("fail", "ignore", "delete"), Importance.HIGH,
                    "What to do with records whose value is null (tombstones). 'delete': a tombstone becomes a "
                            + "delete-marker value (its key in " + KafkaColumns.KEY + ", " + KafkaColumns.DELETED
                            + "=true, no value fields), and every record with a value gets " + KafkaColumns.KEY
                            + " and " + KafkaColumns.DELETED + "=false with its top-level fields made optional, so "
                            + "that a marker fits the same table; a value that already has one of these fields, or "
                            + "is neither a struct nor a map, makes the record errant. 'fail': a tombstone is "
                            + "errant (dead letter queue with errors.tolerance=all); other records pass unchanged. "
                            + "'ignore': every record passes unchanged.");

    public DeleteMarkersConfig(Map<?, ?> props) {
        super(CONFIG_DEF, props);
    }

    public NullValues nullValues() {
        return NullValues.valueOf(getString(BEHAVIOR_ON_NULL_VALUES).toUpperCase(Locale.ROOT));
    }
}
