package dev.sluice.app.dataset;

import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

import dev.sluice.app.ingest.KeyFormat;
import dev.sluice.app.silver.PiiAction;
import dev.sluice.app.validate.EntityRules;
import dev.sluice.app.validate.InvalidRulesException;
import dev.sluice.app.validate.ValidationRules;

/**
 * Reads one dataset specification (docs/datasets.md, "Specification"). Every problem is an
 * {@link InvalidDatasetException} naming the file and the field; unknown keys are problems too, so that a typo never
 * drops a setting silently. Thread-safe.
 */
public final class DatasetSpecParser {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    /** An Avro field name: what a key, PII, rename or partition field must be. */
    private static final Pattern FIELD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern RECORD_NAME = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*\\.)*[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Pattern CDC_TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*\\.[A-Za-z_][A-Za-z0-9_$]*");
    private static final Pattern JDBC_TABLE = Pattern.compile("([A-Za-z_][A-Za-z0-9_$]*\\.)?[A-Za-z_][A-Za-z0-9_$]*");
    private static final Pattern CONNECTOR = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Set<String> JDBC_MODES = Set.of("bulk", "incrementing", "timestamp",
            "timestamp+incrementing");

    private static final Set<String> TOP = Set.of("name", "description", "source", "key", "validation", "dedupe",
            "pii", "silver", "lake", "freshness");
    private static final Set<String> SOURCE = Set.of("kind", "table", "connector", "topic", "subject", "key-format",
            "jdbc");
    private static final Set<String> JDBC = Set.of("mode", "incrementing-column", "timestamp-column",
            "poll-interval");
    private static final Set<String> DEDUPE = Set.of("key", "horizon");
    private static final Set<String> SILVER = Set.of("topic", "schema-name", "rename", "received-at", "compacted");
    private static final Set<String> LAKE = Set.of("zones", "partition-by", "retention");
    private static final Set<String> FRESHNESS = Set.of("sla");

    /** Bronze topic prefixes of the two connector kinds: the CDC connector's and the JDBC source template's. */
    static final String CDC_TOPIC_PREFIX = "bronze.pg.";
    static final String JDBC_TOPIC_PREFIX = "bronze.warehouse.";

    private final String defaultCdcConnector;

    /** @param defaultCdcConnector the CDC connector of a cdc source that names none */
    public DatasetSpecParser(String defaultCdcConnector) {
        this.defaultCdcConnector = defaultCdcConnector;
    }

    /**
     * @param fileName the file's name as errors should name it, ending in {@code <name>.yaml}
     * @throws InvalidDatasetException naming the file and the field
     */
    public DatasetSpec parse(String fileName, String yaml) {
        YamlSection root = YamlSection.root(fileName, document(fileName, yaml)).allow(TOP);
        String name = root.required("name");
        if (!NAME.matcher(name).matches()) {
            throw root.error("name", "must match " + NAME.pattern() + " (was '" + name + "')");
        }
        String base = fileName.substring(fileName.lastIndexOf('/') + 1);
        if (!base.equals(name + ".yaml")) {
            throw root.error("name", "must equal the file name without .yaml (was '" + name + "', file '" + base
                    + "')");
        }
        DatasetSource source = source(name, root.section("source"));
        List<String> key = fields(root, "key");
        if (key.isEmpty() && source.keyFormat() == KeyFormat.AVRO) {
            throw root.error("key", "required for Avro keys: the fields forming the silver key");
        }
        return new DatasetSpec(name, root.string("description").orElse(""), source, key,
                rules(name, root), pii(root.section("pii")), silver(name, source.kind(), root.section("silver")),
                lake(root), root.section("freshness").allow(FRESHNESS).duration("sla"));
    }

    private static Map<?, ?> document(String fileName, String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object document;
        try {
            document = new Yaml(new SafeConstructor(options)).load(yaml);
        } catch (MarkedYAMLException e) {
            throw new InvalidDatasetException(fileName, "(document)", "not valid YAML at line "
                    + (e.getProblemMark().getLine() + 1) + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw new InvalidDatasetException(fileName, "(document)", "not valid YAML: " + e.getMessage());
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw new InvalidDatasetException(fileName, "(document)", "expected a mapping with name, source, ...");
        }
        return map;
    }

    private DatasetSource source(String name, YamlSection source) {
        source.allow(SOURCE);
        String kindText = source.required("kind");
        SourceKind kind = switch (kindText) {
            case "cdc" -> SourceKind.CDC;
            case "jdbc" -> SourceKind.JDBC;
            case "topic" -> SourceKind.TOPIC;
            default -> throw source.error("kind", "must be one of cdc, jdbc, topic (was '" + kindText + "')");
        };
        Optional<String> table = source.string("table");
        Optional<String> connector = source.string("connector");
        String topic;
        switch (kind) {
            case CDC -> {
                String t = table.orElseThrow(() -> source.error("table", "required for kind cdc (schema.table)"));
                if (!CDC_TABLE.matcher(t).matches()) {
                    throw source.error("table", "expected schema.table (was '" + t + "')");
                }
                topic = source.string("topic").orElse(CDC_TOPIC_PREFIX + unqualified(t));
            }
            case JDBC -> {
                String t = table.orElseThrow(() -> source.error("table", "required for kind jdbc"));
                if (!JDBC_TABLE.matcher(t).matches()) {
                    throw source.error("table", "expected table or schema.table (was '" + t + "')");
                }
                topic = source.string("topic").orElse(JDBC_TOPIC_PREFIX + unqualified(t));
            }
            default -> {
                if (table.isPresent()) {
                    throw source.error("table", "not allowed for kind topic");
                }
                if (connector.isPresent()) {
                    throw source.error("connector", "not allowed for kind topic");
                }
                topic = source.required("topic");
            }
        }
        if (!TOPIC.matcher(topic).matches()) {
            throw source.error("topic", "not a valid topic name (was '" + topic + "')");
        }
        connector.ifPresent(c -> {
            if (!CONNECTOR.matcher(c).matches()) {
                throw source.error("connector", "not a valid connector name (was '" + c + "')");
            }
        });
        String keyFormatText = source.string("key-format").orElse(kind == SourceKind.TOPIC ? "string" : "avro");
        KeyFormat keyFormat = switch (keyFormatText) {
            case "avro" -> KeyFormat.AVRO;
            case "string" -> KeyFormat.STRING;
            default -> throw source.error("key-format", "must be one of avro, string (was '" + keyFormatText + "')");
        };
        Optional<JdbcPolling> jdbc = Optional.empty();
        if (kind == SourceKind.JDBC) {
            jdbc = Optional.of(jdbc(source.section("jdbc")));
        } else if (source.raw("jdbc") != null) {
            throw source.error("jdbc", "allowed for kind jdbc only");
        }
        String connectorName = switch (kind) {
            case CDC -> connector.orElse(defaultCdcConnector);
            case JDBC -> connector.orElse("dataset-" + name);
            default -> null;
        };
        return new DatasetSource(kind, table.orElse(null), connectorName, topic,
                source.string("subject").orElse(topic + "-value"), keyFormat, jdbc);
    }

    private static JdbcPolling jdbc(YamlSection jdbc) {
        jdbc.allow(JDBC);
        String mode = jdbc.string("mode").orElse("timestamp+incrementing");
        if (!JDBC_MODES.contains(mode)) {
            throw jdbc.error("mode", "must be one of " + String.join(", ", new TreeSet<>(JDBC_MODES))
                    + " (was '" + mode + "')");
        }
        return new JdbcPolling(mode, column(jdbc, "incrementing-column", "id"),
                column(jdbc, "timestamp-column", "updated_at"),
                jdbc.duration("poll-interval").orElse(Duration.ofSeconds(5)));
    }

    private static String column(YamlSection section, String key, String fallback) {
        String column = section.string(key).orElse(fallback);
        if (!FIELD.matcher(column).matches()) {
            throw section.error(key, "not a column name (was '" + column + "')");
        }
        return column;
    }

    private static String unqualified(String table) {
        return table.substring(table.lastIndexOf('.') + 1);
    }

    /**
     * The validation and dedupe sections, parsed by the rule language of {@code sluice.validation} itself: flattened
     * to its keys, and its errors renamed back to the specification's fields.
     */
    private static EntityRules rules(String name, YamlSection root) {
        YamlSection validation = root.section("validation");
        if (validation.values().containsKey("dedupe")) {
            throw validation.error("dedupe", "unknown key; deduplication is the top-level section dedupe");
        }
        Map<String, Object> flat = new TreeMap<>();
        flatten("", validation.values(), flat);
        YamlSection dedupe = root.section("dedupe").allow(DEDUPE);
        List<String> dedupeKey = fields(dedupe, "key");
        Optional<Duration> horizon = dedupe.duration("horizon");
        if (!dedupeKey.isEmpty()) {
            flat.put("dedupe.key", dedupeKey);
            flat.put("dedupe.window", horizon.orElseThrow(() -> dedupe.error("horizon",
                    "required when dedupe.key is set")).toMillis() + "ms");
        } else if (horizon.isPresent()) {
            throw dedupe.error("key", "required when dedupe.horizon is set");
        }
        try {
            return ValidationRules.entity(name, flat);
        } catch (InvalidRulesException e) {
            String key = e.key().startsWith(name + ".") ? e.key().substring(name.length() + 1) : e.key();
            String field = key.startsWith("dedupe.") ? "dedupe." + (key.endsWith(".window") ? "horizon" : "key")
                    : "validation." + key;
            throw new InvalidDatasetException(root.file(), field, e.problem());
        }
    }

    private static void flatten(String prefix, Map<?, ?> values, Map<String, Object> flat) {
        for (Map.Entry<?, ?> entry : values.entrySet()) {
            String key = prefix + entry.getKey();
            if (entry.getValue() instanceof Map<?, ?> nested) {
                flatten(key + ".", nested, flat);
            } else if (entry.getValue() != null) {
                flat.put(key, entry.getValue());
            }
        }
    }

    private static Map<String, PiiAction> pii(YamlSection pii) {
        Map<String, PiiAction> actions = new LinkedHashMap<>();
        pii.entries().forEach((field, action) -> {
            checkField(pii, field, field);
            try {
                actions.put(field, PiiAction.valueOf(action.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw pii.error(field, "must be one of keep, drop, hash, mask (was '" + action + "')");
            }
        });
        return Map.copyOf(actions);
    }

    private static SilverSpec silver(String name, SourceKind kind, YamlSection silver) {
        silver.allow(SILVER);
        String topic = silver.string("topic").orElse("silver." + name);
        if (!TOPIC.matcher(topic).matches()) {
            throw silver.error("topic", "not a valid topic name (was '" + topic + "')");
        }
        String schemaName = silver.string("schema-name").orElse("dev.sluice.datasets." + pascalCase(name));
        if (!RECORD_NAME.matcher(schemaName).matches()) {
            throw silver.error("schema-name", "not a full Avro record name (was '" + schemaName + "')");
        }
        YamlSection renames = silver.section("rename");
        Map<String, String> rename = renames.entries();
        Set<String> targets = new HashSet<>();
        rename.forEach((from, to) -> {
            checkField(renames, from, from);
            checkField(renames, from, to);
            if (!targets.add(to)) {
                throw renames.error(from, "two fields renamed to '" + to + "'");
            }
        });
        Optional<String> receivedAt = silver.string("received-at");
        receivedAt.ifPresent(column -> checkField(silver, "received-at", column));
        return new SilverSpec(topic, schemaName, Map.copyOf(rename), receivedAt,
                silver.bool("compacted").orElse(kind != SourceKind.TOPIC));
    }

    private static Optional<LakeSpec> lake(YamlSection root) {
        if (root.raw("lake") == null) {
            return Optional.empty();
        }
        YamlSection lake = root.section("lake").allow(LAKE);
        Set<LakeSpec.Zone> zones = EnumSet.noneOf(LakeSpec.Zone.class);
        for (String zone : lake.list("zones")) {
            switch (zone) {
                case "bronze" -> zones.add(LakeSpec.Zone.BRONZE);
                case "silver" -> zones.add(LakeSpec.Zone.SILVER);
                default -> throw lake.error("zones", "must be bronze and/or silver (was '" + zone + "')");
            }
        }
        if (zones.isEmpty()) {
            zones = EnumSet.allOf(LakeSpec.Zone.class);
        }
        return Optional.of(new LakeSpec(Set.copyOf(zones), fields(lake, "partition-by"), lake.duration("retention")));
    }

    /** A list of field names under {@code key}, each a valid Avro name, none twice. */
    private static List<String> fields(YamlSection section, String key) {
        List<String> fields = section.list(key);
        Set<String> seen = new HashSet<>();
        for (String field : fields) {
            checkField(section, key, field);
            if (!seen.add(field)) {
                throw section.error(key, "'" + field + "' appears twice");
            }
        }
        return fields;
    }

    private static void checkField(YamlSection section, String key, String field) {
        if (!FIELD.matcher(field).matches()) {
            throw section.error(key, "not a field name (was '" + field + "')");
        }
    }

    /** {@code product_catalog} to {@code ProductCatalog}: the default silver record name. */
    static String pascalCase(String name) {
        StringBuilder out = new StringBuilder();
        for (String part : name.split("_")) {
            if (!part.isEmpty()) {
                out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return out.toString();
    }
}
