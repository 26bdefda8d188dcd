package dev.sluice.connect.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.sluice.connect.errors.ConvertOrDeadLetter;
import dev.sluice.connect.errors.ConvertOrDeadLetterConfig;
import io.debezium.spi.converter.CustomConverter;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.runtime.SinkConnectorConfig;
import org.apache.kafka.connect.runtime.SourceConnectorConfig;
import org.apache.kafka.connect.runtime.TopicCreationConfig;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every key a template sets is one its connector, Kafka Connect's framework, or one of its transforms defines:
 * a misspelt key would be ignored by Connect without a word, so it is caught here against the real ConfigDefs.
 */
class TemplateKeysTest {

    private static final Set<String> TOPIC_CREATION_KEYS = Set.of(
            "topic.creation.default.replication.factor", "topic.creation.default.partitions",
            "topic.creation.default.retention.ms");
    private static final List<String> CONVERTER_PREFIXES = List.of("key.converter.", "value.converter.");
    /** Debezium's topic naming strategy reads these; they are not in the connector's own ConfigDef. */
    private static final Set<String> DEBEZIUM_TOPIC_NAMING_KEYS = Set.of(
            io.debezium.schema.AbstractTopicNamingStrategy.TOPIC_HEARTBEAT_PREFIX.name(),
            io.debezium.schema.AbstractTopicNamingStrategy.TOPIC_DELIMITER.name());
    /**
     * Iceberg's sink passes keys under these prefixes on, unchecked, to its catalog (and S3FileIO) and to its Kafka
     * clients; they are Iceberg's and the clients' properties, not in the connector's ConfigDef.
     */
    private static final List<String> ICEBERG_PASS_THROUGH_PREFIXES = List.of("iceberg.catalog.", "iceberg.kafka.");

    @ParameterizedTest
    @ValueSource(strings = {ConnectorTemplates.POSTGRES_CDC, ConnectorTemplates.JDBC_SOURCE,
            ConnectorTemplates.S3_PARQUET_SINK, ConnectorTemplates.ICEBERG_SINK})
    void everyKeyIsDefinedByTheConnectorTheFrameworkOrATransform(String name) throws Exception {
        ConnectorTemplate template = new ConnectorTemplates().get(name);
        Connector connector = (Connector) Class.forName(template.connectorClass()).getDeclaredConstructor()
                .newInstance();
        ConfigDef framework = connector instanceof SinkConnector ? SinkConnectorConfig.configDef()
                : SourceConnectorConfig.configDef();
        Set<String> known = new HashSet<>(framework.names());
        known.addAll(connector.config().names());
        known.addAll(TOPIC_CREATION_KEYS);
        known.addAll(topicCreationGroupKeys(template.config()));
        if (template.connectorClass().startsWith("io.debezium.")) {
            known.addAll(DEBEZIUM_TOPIC_NAMING_KEYS);
            known.addAll(customConverterKeys(template.config()));
        }
        Map<String, Set<String>> transforms = transformKeys(template.config());

        List<String> unknown = new ArrayList<>();
        for (String key : template.config().keySet()) {
            boolean ok = known.contains(key)
                    || converterPrefixes(template.config()).stream().anyMatch(key::startsWith)
                    || clientOverride(key)
                    || template.connectorClass().startsWith("org.apache.iceberg.")
                            && ICEBERG_PASS_THROUGH_PREFIXES.stream().anyMatch(key::startsWith)
                    || transforms.values().stream().anyMatch(keys -> keys.contains(key));
            if (!ok) {
                unknown.add(key);
            }
        }
        assertEquals(List.of(), unknown, "keys of template " + name + " that nothing defines");
    }

    @ParameterizedTest
    @ValueSource(strings = {ConnectorTemplates.POSTGRES_CDC, ConnectorTemplates.JDBC_SOURCE,
            ConnectorTemplates.S3_PARQUET_SINK})
    void secretSettingsArePasswordsToTheConnector(String name) throws Exception {
        ConnectorTemplate template = new ConnectorTemplates().get(name);
        Connector connector = (Connector) Class.forName(template.connectorClass()).getDeclaredConstructor()
                .newInstance();
        Map<String, ConfigDef.ConfigKey> keys = connector.config().configKeys();
        for (String secret : template.secretConfigKeys()) {
            assertEquals(ConfigDef.Type.PASSWORD, keys.get(secret).type,
                    secret + " of " + name + " should be a PASSWORD setting, hidden by Connect in its own output");
        }
        assertTrue(!template.secretConfigKeys().isEmpty(), name + " has a credential");
    }

    @ParameterizedTest
    @ValueSource(strings = {ConnectorTemplates.S3_PARQUET_SINK, ConnectorTemplates.ICEBERG_SINK})
    void theLakeSinksReadOnlyCommittedRecords(String name) {
        // silver and gold are written in transactions; the consumer default (read_uncommitted) would let records of
        // aborted transactions, e.g. of a streams-app killed mid-commit, into the lake.
        assertEquals("read_committed", new ConnectorTemplates().get(name).config()
                .get("consumer.override.isolation.level"));
    }

    /**
     * The keys of each group in {@code topic.creation.groups}: those Connect defines for a group, and the one topic
     * setting the templates give a group, {@code retention.ms}.
     */
    private static Set<String> topicCreationGroupKeys(Map<String, String> config) {
        Set<String> keys = new HashSet<>();
        for (String group : config.getOrDefault(SourceConnectorConfig.TOPIC_CREATION_GROUPS_CONFIG, "").split(",")) {
            if (!group.isBlank()) {
                String prefix = SourceConnectorConfig.TOPIC_CREATION_PREFIX + group.trim() + ".";
                TopicCreationConfig.configDef(group.trim(), (short) -1, 1).names().forEach(n -> keys.add(prefix + n));
                keys.add(prefix + "retention.ms");
            }
        }
        return keys;
    }

    /**
     * For each alias in Debezium's {@code converters}: {@code <alias>.type}, when it names a Debezium custom converter
     * (the templates' converters take no settings of their own).
     */
    private static Set<String> customConverterKeys(Map<String, String> config) throws Exception {
        Set<String> keys = new HashSet<>();
        for (String alias : config.getOrDefault("converters", "").split(",")) {
            String key = alias.trim() + ".type";
            if (!alias.isBlank() && config.containsKey(key)
                    && CustomConverter.class.isAssignableFrom(Class.forName(config.get(key)))) {
                keys.add(key);
            }
        }
        return keys;
    }

    /** A per-connector client setting ({@code consumer.override.*}, {@code producer.override.*}) that the client defines. */
    private static boolean clientOverride(String key) {
        if (key.startsWith("consumer.override.")) {
            return ConsumerConfig.configNames().contains(key.substring("consumer.override.".length()));
        }
        if (key.startsWith("producer.override.")) {
            return ProducerConfig.configNames().contains(key.substring("producer.override.".length()));
        }
        return false;
    }

    /** For each alias in {@code transforms}: the keys {@code transforms.<alias>.*} its class defines. */
    /**
     * The connector's converters and those of ConvertOrDeadLetter transforms ({@code transforms.<alias>.converter.}),
     * whose settings are the converter's own, like those of {@code value.converter.}.
     */
    private static List<String> converterPrefixes(Map<String, String> config) {
        List<String> prefixes = new ArrayList<>(CONVERTER_PREFIXES);
        for (String alias : config.getOrDefault("transforms", "").split(",")) {
            String prefix = "transforms." + alias.trim() + ".";
            if (ConvertOrDeadLetter.class.getName().equals(config.get(prefix + "type"))) {
                prefixes.add(prefix + ConvertOrDeadLetterConfig.CONVERTER_PREFIX);
            }
        }
        return prefixes;
    }

    private static Map<String, Set<String>> transformKeys(Map<String, String> config) throws Exception {
        Map<String, Set<String>> keys = new HashMap<>();
        String aliases = config.getOrDefault("transforms", "");
        for (String alias : Arrays.stream(aliases.split(",")).map(String::trim).filter(a -> !a.isEmpty()).toList()) {
            String prefix = "transforms." + alias + ".";
            String type = config.get(prefix + "type");
            Set<String> defined = new HashSet<>();
            defined.add(prefix + "type");
            // The framework's keys of every transform: which predicate applies it, and whether negated.
            defined.add(prefix + "predicate");
            defined.add(prefix + "negate");
            if (type != null) {
                Transformation<?> transform = (Transformation<?>) Class.forName(type).getDeclaredConstructor()
                        .newInstance();
                transform.config().names().forEach(n -> defined.add(prefix + n));
            }
            keys.put(alias, defined);
        }
        keys.put("transforms", Set.of("transforms"));
        keys.put("predicates", predicateKeys(config));
        return keys;
    }

    /** {@code predicates} and, for each alias in it, the keys {@code predicates.<alias>.*} its class defines. */
    private static Set<String> predicateKeys(Map<String, String> config) throws Exception {
        Set<String> defined = new HashSet<>();
        defined.add("predicates");
        String aliases = config.getOrDefault("predicates", "");
        for (String alias : Arrays.stream(aliases.split(",")).map(String::trim).filter(a -> !a.isEmpty()).toList()) {
            String prefix = "predicates." + alias + ".";
            defined.add(prefix + "type");
            String type = config.get(prefix + "type");
            if (type != null) {
                Predicate<?> predicate = (Predicate<?>) Class.forName(type).getDeclaredConstructor().newInstance();
                predicate.config().names().forEach(n -> defined.add(prefix + n));
            }
        }
        return defined;
    }
}
