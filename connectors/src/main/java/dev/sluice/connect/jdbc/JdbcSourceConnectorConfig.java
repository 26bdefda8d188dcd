package dev.sluice.connect.jdbc;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Settings of {@link JdbcSourceConnector}, with typed accessors. The static checks live here (ConfigDef
 * validators and {@link #crossFieldErrors}); the checks that need the database live in {@link DatabaseValidator}.
 */
public class JdbcSourceConnectorConfig extends AbstractConfig {

    public static final String CONNECTION_GROUP = "Connection";
    public static final String CONNECTION_URL = "connection.url";
    public static final String CONNECTION_USER = "connection.user";
    public static final String CONNECTION_PASSWORD = "connection.password";
    public static final String CONNECTION_ATTEMPTS = "connection.attempts";
    public static final String CONNECTION_BACKOFF_MS = "connection.backoff.ms";

    public static final String SOURCE_GROUP = "Source";
    public static final String TABLES = "tables";
    public static final String QUERY = "query";
    public static final String KEY_COLUMNS = "key.columns";

    public static final String MODE_GROUP = "Mode";
    public static final String MODE = "mode";
    public static final String INCREMENTING_COLUMN = "incrementing.column.name";
    public static final String TIMESTAMP_COLUMN = "timestamp.column.name";
    public static final String TIMESTAMP_DELAY_MS = "timestamp.delay.interval.ms";
    public static final String DB_TIMEZONE = "db.timezone";

    public static final String RECORDS_GROUP = "Records";
    public static final String TOPIC_PREFIX = "topic.prefix";
    public static final String POLL_INTERVAL_MS = "poll.interval.ms";
    public static final String BATCH_MAX_ROWS = "batch.max.rows";
    public static final String UNREADABLE_VALUES = "unreadable.values";
    public static final String DEAD_LETTER_TOPIC = "dead.letter.topic";

    private static final Pattern TOPIC_CHARACTERS = Pattern.compile("[a-zA-Z0-9._-]*");

    private static final ConfigDef CONFIG_DEF = defineConfig();

    public JdbcSourceConnectorConfig(Map<String, String> props) {
        this(CONFIG_DEF, props);
    }

    protected JdbcSourceConnectorConfig(ConfigDef definition, Map<String, String> props) {
        // Not logged by AbstractConfig: a URL may carry credentials. The task logs a redacted summary.
        super(definition, props, false);
        Map<String, String> errors = crossFieldErrors(this::get);
        if (!errors.isEmpty()) {
            Map.Entry<String, String> first = errors.entrySet().iterator().next();
            throw new ConfigException(first.getKey() + ": " + first.getValue());
        }
    }

    /** The connector's settings, grouped and ordered as the Connect REST API and UIs show them. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    private static ConfigDef defineConfig() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(CONNECTION_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.LambdaValidator.with(JdbcSourceConnectorConfig::validateUrl,
                        () -> "a JDBC URL starting with jdbc:"),
                Importance.HIGH,
                "JDBC URL of the database, e.g. jdbc:postgresql://db.example:5432/warehouse. The worker must have "
                        + "a JDBC driver for it on its class path; the plugin bundles none. Put credentials in "
                        + CONNECTION_USER + " and " + CONNECTION_PASSWORD + ", not in the URL: Connect shows and "
                        + "stores the URL in plain text.",
                CONNECTION_GROUP, ++order, Width.LONG, "JDBC URL");
        def.define(CONNECTION_USER, Type.STRING, null, Importance.HIGH,
                "Database user. Empty to let the driver take it from the URL or its own defaults.",
                CONNECTION_GROUP, ++order, Width.MEDIUM, "User");
        def.define(CONNECTION_PASSWORD, Type.PASSWORD, null, Importance.HIGH,
                "Database password. Never logged; supply it through a config provider such as "
                        + "${file:/path/secrets.properties:password} or ${env:WAREHOUSE_PASSWORD}.",
                CONNECTION_GROUP, ++order, Width.MEDIUM, "Password");
        def.define(CONNECTION_ATTEMPTS, Type.INT, 3, ConfigDef.Range.atLeast(1), Importance.LOW,
                "How many times in a row a task tries to reach the database (connect or run a query) before it "
                        + "fails with the last error. A success resets the count.",
                CONNECTION_GROUP, ++order, Width.SHORT, "Connection attempts");
        def.define(CONNECTION_BACKOFF_MS, Type.LONG, 10_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                "Milliseconds a task waits after a failed attempt to reach the database before the next one.",
                CONNECTION_GROUP, ++order, Width.SHORT, "Connection backoff (ms)");

        order = 0;
        def.define(TABLES, Type.LIST, "", ConfigDef.LambdaValidator.with(JdbcSourceConnectorConfig::validateTables,
                        () -> "table, schema.table or catalog.schema.table, comma-separated"), Importance.HIGH,
                "Tables to copy, comma-separated, each as table, schema.table or catalog.schema.table. Each "
                        + "table is one source partition and goes to the topic <" + TOPIC_PREFIX + "><table>. "
                        + "Tables are spread over min(number of tables, tasks.max) tasks. Set either this or "
                        + QUERY + ".",
                SOURCE_GROUP, ++order, Width.LONG, "Tables");
        def.define(QUERY, Type.STRING, "", ConfigDef.LambdaValidator.with(JdbcSourceConnectorConfig::validateQuery,
                        () -> CustomQueryCheck.RULE), Importance.MEDIUM,
                "A custom SELECT to run instead of reading tables, e.g. a join. It must be " + CustomQueryCheck.RULE
                        + ". It runs in a read-only transaction. It is wrapped as a derived table, "
                        + "so the incremental conditions apply to its result columns; do not end it with ORDER BY. "
                        + "Its records go to the topic named exactly " + TOPIC_PREFIX + ", read by one task. Set "
                        + "either this or " + TABLES + ".",
                SOURCE_GROUP, ++order, Width.LONG, "Query");
        def.define(KEY_COLUMNS, Type.LIST, "", Importance.MEDIUM,
                "Columns forming the record key, as a struct. Empty: the incrementing column if the mode has "
                        + "one, else the table's primary key, else no key.",
                SOURCE_GROUP, ++order, Width.LONG, "Key columns");

        order = 0;
        def.define(MODE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                ConfigDef.ValidString.in(Mode.configValues().toArray(String[]::new)), Importance.HIGH,
                "How new rows are found. bulk: copy every row each poll. incrementing: rows whose "
                        + INCREMENTING_COLUMN + " is greater than the last one (new rows only). timestamp: rows whose "
                        + TIMESTAMP_COLUMN + " is later than the last one (new and updated rows; rows sharing a "
                        + "timestamp may be repeated after a restart). timestamp+incrementing: both, ordered by "
                        + "timestamp then id; resumes exactly after a restart.",
                MODE_GROUP, ++order, Width.MEDIUM, "Mode",
                List.of(INCREMENTING_COLUMN, TIMESTAMP_COLUMN, TIMESTAMP_DELAY_MS));
        def.define(INCREMENTING_COLUMN, Type.STRING, "", Importance.MEDIUM,
                "Integer column that grows with every new row (an identity or sequence column). Required by the "
                        + "incrementing and timestamp+incrementing modes. Rows where it is NULL are not read.",
                MODE_GROUP, ++order, Width.MEDIUM, "Incrementing column");
        def.define(TIMESTAMP_COLUMN, Type.STRING, "", Importance.MEDIUM,
                "Timestamp column set when a row is inserted or updated. Required by the timestamp and "
                        + "timestamp+incrementing modes. Rows where it is NULL are not read.",
                MODE_GROUP, ++order, Width.MEDIUM, "Timestamp column");
        def.define(TIMESTAMP_DELAY_MS, Type.LONG, 1_000L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                "Timestamp modes read only rows whose timestamp is older than the database's current time minus "
                        + "this many milliseconds. Set it above the longest time between a row's timestamp and its "
                        + "transaction's commit, or rows of transactions still in flight can be skipped.",
                MODE_GROUP, ++order, Width.SHORT, "Timestamp delay (ms)");
        def.define(DB_TIMEZONE, Type.STRING, "UTC", ConfigDef.LambdaValidator.with(JdbcSourceConnectorConfig::validateZone,
                        () -> "a time zone id"), Importance.LOW,
                "Time zone in which timestamps without time zone are stored, e.g. UTC or Europe/Berlin. Used to "
                        + "read them as instants and to compare them with the database's clock.",
                MODE_GROUP, ++order, Width.SHORT, "Database time zone");

        order = 0;
        def.define(TOPIC_PREFIX, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.LambdaValidator.with(
                        JdbcSourceConnectorConfig::validateTopicPrefix, () -> "letters, digits, '.', '_', '-'"),
                Importance.HIGH,
                "Prefix of the topic names: a table's records go to <prefix><table name without schema>, e.g. "
                        + "bronze.warehouse. for bronze.warehouse.exchange_rates; a custom query's records go to "
                        + "the topic named exactly this. Letters, digits, '.', '_' and '-' only.",
                RECORDS_GROUP, ++order, Width.MEDIUM, "Topic prefix");
        def.define(POLL_INTERVAL_MS, Type.INT, 5_000, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                "Milliseconds between the end of one read of a table or query and the start of the next.",
                RECORDS_GROUP, ++order, Width.SHORT, "Poll interval (ms)");
        def.define(BATCH_MAX_ROWS, Type.INT, 100, ConfigDef.Range.between(1, 100_000), Importance.LOW,
                "Most rows a task returns from one poll, and the fetch size of its queries. A large result is "
                        + "streamed over several polls.",
                RECORDS_GROUP, ++order, Width.SHORT, "Max rows per batch");
        def.define(UNREADABLE_VALUES, Type.STRING, "fail", ConfigDef.ValidString.in("fail", "dead-letter"),
                Importance.MEDIUM,
                "What happens to a row with a value the driver cannot read as its column's type (a data "
                        + "exception, SQLState class 22, e.g. a numeric 'NaN', which no decimal holds). fail: the "
                        + "read fails and is retried like any failed read, then the task fails. dead-letter: the "
                        + "row goes to dead.letter.topic as JSON of every column's text, with the reason and its "
                        + "offset in sluice.* headers, and the task goes on. Needs key.converter and "
                        + "value.converter passing bytes through (ByteArrayConverter, as with the ConvertOrDeadLetter "
                        + "transform of the template).",
                RECORDS_GROUP, ++order, Width.SHORT, "Unreadable values");
        def.define(DEAD_LETTER_TOPIC, Type.STRING, "dlq.source", new ConfigDef.NonEmptyString(), Importance.LOW,
                "Topic of the rows unreadable.values=dead-letter sends away.",
                RECORDS_GROUP, ++order, Width.MEDIUM, "Dead-letter topic");
        return def;
    }

    /**
     * Checks that involve several settings. Takes a lookup of parsed values so it works both on a complete
     * configuration and on one that the ConfigDef validators have partly rejected (missing values are null).
     *
     * @return error message per setting, in a stable order; empty when consistent
     */
    static Map<String, String> crossFieldErrors(Function<String, Object> value) {
        Map<String, String> errors = new LinkedHashMap<>();
        List<?> tables = value.apply(TABLES) instanceof List<?> l ? l : List.of();
        String query = text(value.apply(QUERY));
        if (tables.isEmpty() && query.isEmpty()) {
            errors.put(TABLES, "set either " + TABLES + " (tables to copy) or " + QUERY + " (a custom SELECT)");
        } else if (!tables.isEmpty() && !query.isEmpty()) {
            errors.put(QUERY, "set either " + TABLES + " or " + QUERY + ", not both");
        }
        Optional<Mode> mode = Mode.fromConfigValue(text(value.apply(MODE)));
        if (mode.isPresent()) {
            if (mode.get().usesIncrementingColumn() && text(value.apply(INCREMENTING_COLUMN)).isEmpty()) {
                errors.put(INCREMENTING_COLUMN, "mode '" + mode.get().configValue() + "' needs "
                        + INCREMENTING_COLUMN + ": an integer column that grows with every new row");
            }
            if (mode.get().usesTimestampColumn() && text(value.apply(TIMESTAMP_COLUMN)).isEmpty()) {
                errors.put(TIMESTAMP_COLUMN, "mode '" + mode.get().configValue() + "' needs "
                        + TIMESTAMP_COLUMN + ": a timestamp column set on every insert and update");
            }
        }
        if (!query.isEmpty() && value.apply(TOPIC_PREFIX) != null && text(value.apply(TOPIC_PREFIX)).isEmpty()) {
            errors.put(TOPIC_PREFIX, "a custom " + QUERY + " writes to the topic named " + TOPIC_PREFIX
                    + ", which must not be empty");
        }
        return errors;
    }

    public String connectionUrl() {
        return getString(CONNECTION_URL);
    }

    /** The user, or {@code null} when not set. */
    public String connectionUser() {
        String user = getString(CONNECTION_USER);
        return user == null || user.isEmpty() ? null : user;
    }

    /** The password, or {@code null} when not set. */
    public Password connectionPassword() {
        return getPassword(CONNECTION_PASSWORD);
    }

    public int connectionAttempts() {
        return getInt(CONNECTION_ATTEMPTS);
    }

    public long connectionBackoffMs() {
        return getLong(CONNECTION_BACKOFF_MS);
    }

    public List<TableId> tables() {
        return getList(TABLES).stream().map(TableId::parse).toList();
    }

    /** The custom query, if one is set instead of tables. */
    public Optional<String> query() {
        String query = getString(QUERY).strip();
        return query.isEmpty() ? Optional.empty() : Optional.of(query);
    }

    public List<String> keyColumns() {
        return getList(KEY_COLUMNS).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public Mode mode() {
        return Mode.fromConfigValue(getString(MODE)).orElseThrow();
    }

    public Optional<String> incrementingColumn() {
        return nonEmpty(getString(INCREMENTING_COLUMN));
    }

    public Optional<String> timestampColumn() {
        return nonEmpty(getString(TIMESTAMP_COLUMN));
    }

    public long timestampDelayMs() {
        return getLong(TIMESTAMP_DELAY_MS);
    }

    public TimeZone dbTimeZone() {
        return TimeZone.getTimeZone(ZoneId.of(getString(DB_TIMEZONE)));
    }

    public String topicPrefix() {
        return getString(TOPIC_PREFIX);
    }

    public int pollIntervalMs() {
        return getInt(POLL_INTERVAL_MS);
    }

    public int batchMaxRows() {
        return getInt(BATCH_MAX_ROWS);
    }

    /** Whether a row with a value the driver cannot read goes to {@link #deadLetterTopic()}. */
    public boolean deadLetterUnreadableValues() {
        return "dead-letter".equals(getString(UNREADABLE_VALUES));
    }

    public String deadLetterTopic() {
        return getString(DEAD_LETTER_TOPIC);
    }

    /** The topic of a table's records: the prefix and the table name, with characters Kafka rejects replaced. */
    public String topicFor(TableId table) {
        return topicPrefix() + table.table().replaceAll("[^a-zA-Z0-9._-]", "_");
    }

    private static Optional<String> nonEmpty(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString().trim();
    }

    // The URL may carry credentials, so messages never repeat its value.
    private static void validateUrl(String name, Object value) {
        String url = value == null ? "" : value.toString().trim();
        if (!url.startsWith("jdbc:")) {
            throw new ConfigException(name + " must be a JDBC URL starting with 'jdbc:', "
                    + "e.g. jdbc:postgresql://host:5432/database");
        }
    }

    private static void validateTables(String name, Object value) {
        if (value instanceof List<?> list) {
            for (Object entry : list) {
                try {
                    TableId.parse(String.valueOf(entry));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name + ": " + e.getMessage());
                }
            }
        }
    }

    // The message does not repeat the query: it can be long, and the key and the reason say what to fix.
    private static void validateQuery(String name, Object value) {
        CustomQueryCheck.problem(value == null ? null : value.toString()).ifPresent(problem -> {
            throw new ConfigException(name + " is refused: " + problem + ". Allowed is " + CustomQueryCheck.RULE);
        });
    }

    private static void validateZone(String name, Object value) {
        try {
            ZoneId.of(String.valueOf(value));
        } catch (DateTimeException e) {
            throw new ConfigException(name, value, "not a time zone id such as UTC or Europe/Berlin");
        }
    }

    private static void validateTopicPrefix(String name, Object value) {
        if (value != null && !TOPIC_CHARACTERS.matcher(value.toString()).matches()) {
            throw new ConfigException(name, value, "a topic name may hold only letters, digits, '.', '_' and '-'");
        }
    }
}
