package dev.sluice.connect.errors;

import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.storage.Converter;

/** Configuration of {@link ConvertOrDeadLetter}. Every key is documented in {@link #CONFIG_DEF}. */
public final class ConvertOrDeadLetterConfig extends AbstractConfig {

    public static final String CONVERTER = "converter";
    /** Prefix of the settings handed to the converter, e.g. {@code converter.apicurio.registry.url}. */
    public static final String CONVERTER_PREFIX = CONVERTER + ".";
    public static final String ON_FAILURE = "on.failure";
    public static final String TOPIC = "dead.letter.topic";

    /** What to do with a record whose key or value the converter rejects. */
    public enum OnFailure {
        /** Fail the task, as a failing worker converter does. */
        FAIL,
        /** Send the record to the dead-letter topic instead, and go on. */
        DEAD_LETTER;

        public static OnFailure parse(String text) {
            return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /**
     * The converter is looked up in this plugin's own class loader, not as Kafka's CLASS type does, in the calling
     * thread's: Connect parses a transform's config on its herder thread, whose loader knows only the plugins the
     * worker discovered, so with {@code plugin.discovery=service_load} a converter bundled in this plugin (the
     * registry's, which declares no service entry) was "not found" and the connector got no tasks
     * (PluginArchiveIT).
     */
    private static final ClassLoader PLUGIN_LOADER = ConvertOrDeadLetterConfig.class.getClassLoader();

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(CONVERTER, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, ConvertOrDeadLetterConfig::validateConverter,
                    Importance.HIGH,
                    "Converter of keys and values, e.g. io.apicurio.registry.utils.converter.AvroConverter, "
                            + "configured with the settings under 'converter.' (prefix removed), once for keys and "
                            + "once for values. The connector's key.converter and value.converter must then be "
                            + "org.apache.kafka.connect.converters.ByteArrayConverter: this transform, the last of "
                            + "the chain, has converted the record already. Converters that write the schema into record "
                            + "headers (apicurio.registry.headers.enabled=true) are not supported: only the bytes are "
                            + "kept.")
            .define(ON_FAILURE, Type.STRING, "fail", ConfigDef.ValidString.in("fail", "dead-letter"),
                    Importance.HIGH,
                    "fail: a record whose key or value the converter rejects as bad data fails the task (Kafka "
                            + "Connect's behaviour without this transform). dead-letter: the record goes to "
                            + "dead.letter.topic instead - key and value as JSON, the reason and the source position "
                            + "in headers - and the task goes on. Other failures (e.g. the schema registry is "
                            + "unreachable or rejects a schema) fail the task in both modes.")
            .define(TOPIC, Type.STRING, "dlq.source", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "Topic of the dead letters, written by the connector's own producer in the same batch as its "
                            + "other records, so the source position is committed only once the dead letter is "
                            + "in Kafka.");

    public ConvertOrDeadLetterConfig(Map<?, ?> props) {
        super(CONFIG_DEF, props);
    }

    /** A new instance of the converter class, not yet configured. */
    public Converter newConverter() {
        return Utils.newInstance(converterClass(CONVERTER, getString(CONVERTER)), Converter.class);
    }

    private static void validateConverter(String name, Object value) {
        converterClass(name, (String) value);
    }

    private static Class<?> converterClass(String name, String className) {
        if (className == null || className.isBlank()) {
            throw new ConfigException(name, className, "must name a Converter class");
        }
        Class<?> type;
        try {
            type = Class.forName(className.strip(), false, PLUGIN_LOADER);
        } catch (ClassNotFoundException e) {
            throw new ConfigException(name, className, "class not found in this plugin or the worker");
        }
        if (!Converter.class.isAssignableFrom(type)) {
            throw new ConfigException(name, className, "is not a " + Converter.class.getName());
        }
        return type;
    }

    public Map<String, Object> converterSettings() {
        return originalsWithPrefix(CONVERTER_PREFIX);
    }

    public OnFailure onFailure() {
        return OnFailure.parse(getString(ON_FAILURE));
    }

    public String topic() {
        return getString(TOPIC);
    }
}
