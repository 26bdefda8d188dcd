package dev.sluice.connect.cdc;

import dev.sluice.connect.errors.ConvertOrDeadLetterConfig.OnFailure;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Configuration of {@link PreciseDecimals}. Every key is documented in {@link #CONFIG_DEF}. */
public final class PreciseDecimalsConfig extends AbstractConfig {

    public static final String ON_FAILURE = "on.failure";
    public static final String TOPIC = "dead.letter.topic";
    public static final String MONEY_FRACTION_DIGITS = "money.fraction.digits";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(ON_FAILURE, Type.STRING, "fail", ConfigDef.ValidString.in("fail", "dead-letter"),
                    Importance.HIGH,
                    "What happens to a change with a numeric value that no decimal can hold ('NaN', 'Infinity', "
                            + "'-Infinity'). fail: the task fails, naming the table and column (what Debezium's "
                            + "decimal.handling.mode=precise does). dead-letter: the change goes to "
                            + "dead.letter.topic instead - key and value as JSON, the reason, table and source "
                            + "position in headers - and the task goes on.")
            .define(TOPIC, Type.STRING, "dlq.source", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "Topic of the dead letters, written by the connector's own producer in the same batch as its "
                            + "other records, so the source position is committed only once the dead letter is "
                            + "in Kafka.")
            .define(MONEY_FRACTION_DIGITS, Type.INT, 2, Range.atLeast(0), Importance.LOW,
                    "Scale of the decimals that money columns become; must equal the connector's own "
                            + "money.fraction.digits (Debezium's default is 2).");

    public PreciseDecimalsConfig(Map<?, ?> props) {
        super(CONFIG_DEF, props);
    }

    public OnFailure onFailure() {
        return OnFailure.parse(getString(ON_FAILURE));
    }

    public String topic() {
        return getString(TOPIC);
    }

    public int moneyFractionDigits() {
        return getInt(MONEY_FRACTION_DIGITS);
    }
}
