package dev.sluice.connect.s3;

import dev.sluice.lake.KafkaColumns;
import dev.sluice.lake.ObjectKeyNamer;
import dev.sluice.lake.ParquetCodec;
import dev.sluice.lake.ParquetFileSettings;
import dev.sluice.lake.PartitionPathFormatter;
import dev.sluice.lake.S3MultipartOutputStream;
import java.net.URI;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** Configuration of the S3 Parquet sink connector and its tasks. Every key is documented in {@link #CONFIG_DEF}. */
public final class S3ParquetSinkConfig extends AbstractConfig {

    public static final String S3_BUCKET_NAME = "s3.bucket.name";
    public static final String S3_REGION = "s3.region";
    public static final String S3_ENDPOINT = "s3.endpoint";
    public static final String S3_PATH_STYLE_ACCESS = "s3.path.style.access";
    public static final String S3_PART_SIZE_BYTES = "s3.part.size.bytes";
    public static final String AWS_ACCESS_KEY_ID = "aws.access.key.id";
    public static final String AWS_SECRET_ACCESS_KEY = "aws.secret.access.key";
    public static final String TOPICS_DIR = "topics.dir";
    public static final String PARQUET_CODEC = "parquet.codec";
    public static final String PARQUET_ROW_GROUP_BYTES = "parquet.row.group.bytes";
    public static final String PARQUET_PAGE_BYTES = "parquet.page.bytes";
    public static final String FLUSH_SIZE = "flush.size";
    public static final String ROTATE_BYTES = "rotate.bytes";
    public static final String ROTATE_INTERVAL_MS = "rotate.interval.ms";
    public static final String ROTATE_IDLE_MS = "rotate.idle.ms";
    public static final String MAX_OPEN_FILES = "max.open.files";
    public static final String PARTITION_TIMESTAMP_FIELD = "partition.timestamp.field";
    public static final String PARTITION_TIMEZONE = "partition.timezone";
    public static final String PARTITION_FIELDS = "partition.fields";
    public static final String TOPIC_PARTITION_FIELDS = "topic.partition.fields";
    public static final String KAFKA_METADATA_COLUMNS = "kafka.metadata.columns";
    public static final String BEHAVIOR_ON_NULL_VALUES = "behavior.on.null.values";
    public static final String VALUE_REGISTRY_URL = "value.registry.url";
    public static final String KAFKA_BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    /** Prefix of further admin client settings (security) for {@link #KAFKA_BOOTSTRAP_SERVERS}. */
    public static final String KAFKA_ADMIN_PREFIX = "kafka.admin.";

    /** Values of {@link #BEHAVIOR_ON_NULL_VALUES}. */
    public enum NullValueBehavior { FAIL, IGNORE, DELETE }

    /** At most this many partition fields, so that object keys stay below S3's 1024-byte limit. */
    public static final int MAX_PARTITION_FIELDS = 3;

    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final String GROUP_S3 = "S3";
    private static final String GROUP_LAYOUT = "Layout";
    private static final String GROUP_ROTATION = "Rotation";
    private static final String GROUP_PARQUET = "Parquet";
    private static final String GROUP_KAFKA = "Kafka";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(S3_BUCKET_NAME, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, S3ParquetSinkConfig::validateBucket,
                    Importance.HIGH, "Bucket the Parquet objects are written to. It must exist.",
                    GROUP_S3, 1, Width.MEDIUM, "Bucket")
            .define(S3_REGION, Type.STRING, "us-east-1", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "AWS region of the bucket (S3-compatible servers usually accept any).",
                    GROUP_S3, 2, Width.SHORT, "Region")
            .define(S3_ENDPOINT, Type.STRING, "", S3ParquetSinkConfig::validateOptionalUrl, Importance.MEDIUM,
                    "Endpoint URL of an S3-compatible server, e.g. http://127.0.0.1:9000. Empty for AWS S3.",
                    GROUP_S3, 3, Width.LONG, "Endpoint")
            .define(S3_PATH_STYLE_ACCESS, Type.BOOLEAN, false, Importance.LOW,
                    "Address the bucket in the path (http://host/bucket/key) instead of the host name; most "
                            + "S3-compatible servers need this.",
                    GROUP_S3, 4, Width.SHORT, "Path-style access")
            .define(AWS_ACCESS_KEY_ID, Type.PASSWORD, null, Importance.HIGH,
                    "Access key id. Set together with " + AWS_SECRET_ACCESS_KEY + ", or leave both unset to use the "
                            + "default AWS credentials chain (environment, system properties, profile, container "
                            + "or instance role). Use a config provider (e.g. ${env:...}) rather than a literal.",
                    GROUP_S3, 5, Width.MEDIUM, "Access key id")
            .define(AWS_SECRET_ACCESS_KEY, Type.PASSWORD, null, Importance.HIGH,
                    "Secret access key, set together with " + AWS_ACCESS_KEY_ID + ". Never logged.",
                    GROUP_S3, 6, Width.MEDIUM, "Secret access key")
            .define(S3_PART_SIZE_BYTES, Type.INT, 8 * 1024 * 1024,
                    Range.between(S3MultipartOutputStream.MIN_PART_SIZE, 1024 * 1024 * 1024), Importance.LOW,
                    "Size of each multipart-upload part. Objects smaller than one part are written with a single "
                            + "PUT; larger ones stream part by part. Each open file buffers up to one part.",
                    GROUP_S3, 7, Width.SHORT, "Part size")
            .define(TOPICS_DIR, Type.STRING, "topics", S3ParquetSinkConfig::validateTopicsDir, Importance.HIGH,
                    "Key prefix under which each topic gets its directory: <topics.dir>/<topic>/year=.../. "
                            + "Slash-separated names without leading or trailing slash, '.' or '..'.",
                    GROUP_LAYOUT, 1, Width.MEDIUM, "Topics directory")
            .define(PARTITION_TIMESTAMP_FIELD, Type.STRING, "", S3ParquetSinkConfig::validateOptionalFieldPath,
                    Importance.MEDIUM,
                    "Dotted path of the value field holding the event time that chooses year/month/day/hour. "
                            + "Timestamp and Date fields, int64 epoch milliseconds and ISO-8601 strings are "
                            + "understood. When empty, or when a record has no value there, the Kafka record "
                            + "timestamp is used.",
                    GROUP_LAYOUT, 2, Width.MEDIUM, "Event time field")
            .define(PARTITION_TIMEZONE, Type.STRING, "UTC", S3ParquetSinkConfig::validateZone, Importance.MEDIUM,
                    "Time zone (e.g. UTC, Europe/Berlin) in which the event time is cut into year/month/day/hour "
                            + "and in which " + ROTATE_INTERVAL_MS + " windows are aligned.",
                    GROUP_LAYOUT, 3, Width.SHORT, "Time zone")
            .define(PARTITION_FIELDS, Type.LIST, "", S3ParquetSinkConfig::validatePartitionFields, Importance.MEDIUM,
                    "Up to " + MAX_PARTITION_FIELDS + " dotted field paths whose values add name=value segments "
                            + "after the hour, e.g. 'region' gives .../hour=13/region=EU/. Values are "
                            + "percent-encoded Hive style; null and empty become __HIVE_DEFAULT_PARTITION__.",
                    GROUP_LAYOUT, 4, Width.LONG, "Partition fields")
            .define(TOPIC_PARTITION_FIELDS, Type.LIST, "", S3ParquetSinkConfig::validateTopicPartitionFields,
                    Importance.MEDIUM, "Partition fields of single topics, instead of " + PARTITION_FIELDS + " for "
                            + "the topics named: entries <topic>=<field>[;<field>...] (up to " + MAX_PARTITION_FIELDS
                            + " dotted field paths each), e.g. 'silver.shipments=region;carrier,bronze.pg.shipments="
                            + "region'. An entry with no fields ('silver.x=') gives that topic none. One sink can so "
                            + "carry datasets partitioned differently.",
                    GROUP_LAYOUT, 5, Width.LONG, "Partition fields per topic")
            .define(KAFKA_METADATA_COLUMNS, Type.BOOLEAN, true, Importance.LOW,
                    "Add the columns __kafka_partition, __kafka_offset and __kafka_timestamp to every row, for "
                            + "lineage and de-duplication downstream, and __lineage_source, __lineage_ingested_at and "
                            + "__lineage_pipeline_version from the record's sluice.lineage.* headers (null without "
                            + "them): the bronze record a silver row was made from, traceable after Kafka's "
                            + "retention.",
                    GROUP_LAYOUT, 5, Width.SHORT, "Kafka metadata columns")
            .define(BEHAVIOR_ON_NULL_VALUES, Type.STRING, "fail",
                    ConfigDef.CaseInsensitiveValidString.in("fail", "ignore", "delete"), Importance.MEDIUM,
                    "What to do with records whose value is null (tombstones): 'fail' reports them to the "
                            + "errant record reporter (dead letter queue), 'ignore' skips them (counted in the "
                            + "task's debug log), 'delete' writes each as a delete marker: a row with "
                            + KafkaColumns.DELETED + "=true, its key in " + KafkaColumns.KEY + ", the Kafka "
                            + "metadata and lineage columns and null value columns, in the hour of its Kafka "
                            + "timestamp. With 'delete' every row gets the columns " + KafkaColumns.KEY + " (the key "
                            + "as UTF-8 text) and " + KafkaColumns.DELETED + " (false for rows with a value), and "
                            + "the value columns are nullable, so that a tombstone fits the open file of its path; "
                            + "a value field with one of these names makes the record errant.",
                    GROUP_LAYOUT, 6, Width.SHORT, "Null values")
            .define(VALUE_REGISTRY_URL, Type.STRING, "", S3ParquetSinkConfig::validateOptionalUrl, Importance.MEDIUM,
                    "Apicurio registry API v2 URL (e.g. http://127.0.0.1:8081/apis/registry/v2). When set, the "
                            + "task decodes the values itself - Avro in the Confluent wire format, schema ids being "
                            + "registry content ids - and they must arrive as bytes (value.converter=org.apache."
                            + "kafka.connect.converters.ByteArrayConverter). Then a registry outage pauses the task "
                            + "until the registry answers instead of dead-lettering good records, and an "
                            + "undecodable value is dead-lettered once, with the records it arrived with, not again "
                            + "after a restart. Empty: the values come decoded by the worker's value.converter.",
                    GROUP_LAYOUT, 7, Width.LONG, "Registry for values")
            .define(FLUSH_SIZE, Type.LONG, 500_000L, Range.atLeast(1), Importance.HIGH,
                    "Rotate when a file holds this many records. Any rotation uploads every open file of "
                            + "that Kafka partition, which is what keeps retries exactly-once.",
                    GROUP_ROTATION, 1, Width.SHORT, "Records per file")
            .define(ROTATE_BYTES, Type.LONG, 128L * 1024 * 1024, Range.atLeast(1024), Importance.MEDIUM,
                    "Rotate when a file would be this many bytes: row groups written plus the row group "
                            + "being buffered (the latter counted before compression).",
                    GROUP_ROTATION, 2, Width.SHORT, "Bytes per file")
            .define(ROTATE_INTERVAL_MS, Type.LONG, 3_600_000L, S3ParquetSinkConfig::validateDisabledOrPositive,
                    Importance.MEDIUM,
                    "Event-time rotation: windows of this length, aligned in " + PARTITION_TIMEZONE + "; files "
                            + "rotate when a record's event time enters a newer window than any seen before. "
                            + "-1 disables.",
                    GROUP_ROTATION, 3, Width.SHORT, "Event-time interval")
            .define(ROTATE_IDLE_MS, Type.LONG, 300_000L, S3ParquetSinkConfig::validateDisabledOrPositive,
                    Importance.MEDIUM,
                    "Wall-clock rotation: files of a Kafka partition that received no record for this long "
                            + "are uploaded (checked on every poll, including empty ones). -1 disables.",
                    GROUP_ROTATION, 4, Width.SHORT, "Idle time")
            .define(MAX_OPEN_FILES, Type.INT, 16, Range.atLeast(1), Importance.MEDIUM,
                    "Most files a task keeps open at once; opening one more rotates the Kafka partition that "
                            + "holds the oldest. Memory per open file is up to " + PARQUET_ROW_GROUP_BYTES + " plus "
                            + S3_PART_SIZE_BYTES + ".",
                    GROUP_ROTATION, 5, Width.SHORT, "Max open files")
            .define(PARQUET_CODEC, Type.STRING, "snappy",
                    ConfigDef.CaseInsensitiveValidString.in("snappy", "zstd", "gzip", "none"), Importance.MEDIUM,
                    "Compression codec: snappy, zstd, gzip or none. It also appears in object names.",
                    GROUP_PARQUET, 1, Width.SHORT, "Codec")
            .define(PARQUET_ROW_GROUP_BYTES, Type.LONG, 16L * 1024 * 1024, Range.between(64 * 1024, 1L << 30),
                    Importance.LOW,
                    "Target row group size. A row group is buffered in memory until it is this big.",
                    GROUP_PARQUET, 2, Width.SHORT, "Row group size")
            .define(PARQUET_PAGE_BYTES, Type.INT, ParquetFileSettings.DEFAULT_PAGE_BYTES,
                    Range.between(8 * 1024, 64 * 1024 * 1024), Importance.LOW,
                    "Target page size within a row group.",
                    GROUP_PARQUET, 3, Width.SHORT, "Page size")
            .define(KAFKA_BOOTSTRAP_SERVERS, Type.STRING, "", Importance.MEDIUM,
                    "Brokers the task asks, when partitions are assigned, for the topics' ids and the connector "
                            + "group's committed offsets, so that an offset checkpoint of a deleted and re-created "
                            + "topic, or offsets reset below a checkpoint, stop the partition with an error instead "
                            + "of silently skipping records. Security settings for this admin client go in "
                            + KAFKA_ADMIN_PREFIX + "* (e.g. " + KAFKA_ADMIN_PREFIX + "security.protocol). Empty: no "
                            + "such checks (logged at start).",
                    GROUP_KAFKA, 1, Width.LONG, "Kafka brokers for checks")
            // The admin client's login, named so that templates and Connect's validation know them (and hide the
            // JAAS config); any other admin setting may be given under the same prefix.
            .define(KAFKA_ADMIN_PREFIX + "security.protocol", Type.STRING, "", Importance.LOW,
                    "security.protocol of the admin client for " + KAFKA_BOOTSTRAP_SERVERS + ", e.g. SASL_PLAINTEXT. "
                            + "Empty: Kafka's default (PLAINTEXT).", GROUP_KAFKA, 2, Width.SHORT, "Admin protocol")
            .define(KAFKA_ADMIN_PREFIX + "sasl.mechanism", Type.STRING, "", Importance.LOW,
                    "sasl.mechanism of that admin client, e.g. SCRAM-SHA-512. Empty: Kafka's default.", GROUP_KAFKA,
                    3, Width.SHORT, "Admin SASL mechanism")
            .define(KAFKA_ADMIN_PREFIX + "sasl.jaas.config", Type.PASSWORD, "", Importance.LOW,
                    "sasl.jaas.config (the login) of that admin client, as a config-provider reference. Empty: none.",
                    GROUP_KAFKA, 4, Width.LONG, "Admin login");

    /** Parses and validates {@code props}; throws a {@link ConfigException} naming the offending key. */
    public S3ParquetSinkConfig(Map<?, ?> props) {
        super(CONFIG_DEF, props, false);
        boolean hasId = password(AWS_ACCESS_KEY_ID).isPresent();
        boolean hasSecret = password(AWS_SECRET_ACCESS_KEY).isPresent();
        if (hasId != hasSecret) {
            String missing = hasId ? AWS_SECRET_ACCESS_KEY : AWS_ACCESS_KEY_ID;
            throw new ConfigException(missing, "[hidden]",
                    AWS_ACCESS_KEY_ID + " and " + AWS_SECRET_ACCESS_KEY + " must be set together");
        }
        try {
            new PartitionPathFormatter(zone(), partitionFields());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(PARTITION_FIELDS, getList(PARTITION_FIELDS), e.getMessage());
        }
        try {
            topicPartitionFields().values().forEach(fields -> new PartitionPathFormatter(zone(), fields));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(TOPIC_PARTITION_FIELDS, getList(TOPIC_PARTITION_FIELDS), e.getMessage());
        }
    }

    public String bucket() {
        return getString(S3_BUCKET_NAME);
    }

    public String region() {
        return getString(S3_REGION);
    }

    /** The endpoint override, if one is configured. */
    public Optional<URI> endpoint() {
        String endpoint = getString(S3_ENDPOINT).trim();
        return endpoint.isEmpty() ? Optional.empty() : Optional.of(URI.create(endpoint));
    }

    public boolean pathStyleAccess() {
        return getBoolean(S3_PATH_STYLE_ACCESS);
    }

    /** The access key id, if static credentials are configured. */
    public Optional<Password> accessKeyId() {
        return password(AWS_ACCESS_KEY_ID);
    }

    /** The secret access key, if static credentials are configured. */
    public Optional<Password> secretAccessKey() {
        return password(AWS_SECRET_ACCESS_KEY);
    }

    public String topicsDir() {
        return getString(TOPICS_DIR);
    }

    public ParquetCodec codec() {
        return ParquetCodec.fromConfigName(getString(PARQUET_CODEC));
    }

    /** Everything the lake needs to write a Parquet object. */
    public ParquetFileSettings parquetFileSettings() {
        return new ParquetFileSettings(bucket(), codec(), getLong(PARQUET_ROW_GROUP_BYTES), getInt(PARQUET_PAGE_BYTES),
                getInt(S3_PART_SIZE_BYTES));
    }

    public long flushSize() {
        return getLong(FLUSH_SIZE);
    }

    public long rotateBytes() {
        return getLong(ROTATE_BYTES);
    }

    /** Event-time window length, or -1 when disabled. */
    public long rotateIntervalMs() {
        return getLong(ROTATE_INTERVAL_MS);
    }

    /** Idle time before rotation, or -1 when disabled. */
    public long rotateIdleMs() {
        return getLong(ROTATE_IDLE_MS);
    }

    public int maxOpenFiles() {
        return getInt(MAX_OPEN_FILES);
    }

    /** The event-time field path, if configured. */
    public Optional<String> timestampField() {
        String field = getString(PARTITION_TIMESTAMP_FIELD).trim();
        return field.isEmpty() ? Optional.empty() : Optional.of(field);
    }

    public ZoneId zone() {
        return ZoneId.of(getString(PARTITION_TIMEZONE).trim());
    }

    public List<String> partitionFields() {
        return getList(PARTITION_FIELDS).stream().map(String::trim).toList();
    }

    /** The entries of {@value #TOPIC_PARTITION_FIELDS}, by topic. */
    public Map<String, List<String>> topicPartitionFields() {
        return parseTopicPartitionFields(getList(TOPIC_PARTITION_FIELDS));
    }

    public boolean kafkaMetadataColumns() {
        return getBoolean(KAFKA_METADATA_COLUMNS);
    }

    public NullValueBehavior nullValueBehavior() {
        return NullValueBehavior.valueOf(getString(BEHAVIOR_ON_NULL_VALUES).trim().toUpperCase(Locale.ROOT));
    }

    public Optional<String> valueRegistryUrl() {
        String url = getString(VALUE_REGISTRY_URL);
        return url.isBlank() ? Optional.empty() : Optional.of(url);
    }

    /** The brokers for the checkpoint checks, if configured. */
    public Optional<String> kafkaBootstrapServers() {
        String servers = getString(KAFKA_BOOTSTRAP_SERVERS).trim();
        return servers.isEmpty() ? Optional.empty() : Optional.of(servers);
    }

    /** Admin client settings given as {@value #KAFKA_ADMIN_PREFIX}*, without the prefix. */
    public Map<String, Object> kafkaAdminProperties() {
        Map<String, Object> admin = new HashMap<>(originalsWithPrefix(KAFKA_ADMIN_PREFIX));
        // A template leaves unused settings empty; an empty security.protocol would not parse.
        admin.values().removeIf(value -> value == null || value.toString().isBlank());
        return admin;
    }

    /** The connector's name, as the worker passes it to its tasks. */
    public String connectorName() {
        Object name = originals().get("name");
        return name == null ? "s3-parquet-sink" : name.toString();
    }

    /** The consumer group the worker runs the connector's tasks in: Connect's default unless overridden. */
    public String consumerGroupId() {
        Object override = originals().get("consumer.override.group.id");
        return override != null ? override.toString() : "connect-" + connectorName();
    }

    /** Whether the framework's {@code errors.tolerance} is {@code all}. */
    public boolean toleratesErrors() {
        Object tolerance = originals().get("errors.tolerance");
        return tolerance != null && "all".equalsIgnoreCase(tolerance.toString().trim());
    }

    private Optional<Password> password(String key) {
        Password password = getPassword(key);
        return password == null || password.value() == null || password.value().isEmpty()
                ? Optional.empty() : Optional.of(password);
    }

    private static void validateBucket(String name, Object value) {
        if (value == null || !BUCKET_NAME.matcher(value.toString()).matches() || value.toString().contains("..")) {
            throw new ConfigException(name, value, "must be an S3 bucket name: 3-63 lower-case letters, digits, "
                    + "dots and hyphens");
        }
    }

    private static void validateOptionalUrl(String name, Object value) {
        String endpoint = value == null ? "" : value.toString().trim();
        if (endpoint.isEmpty()) {
            return;
        }
        try {
            URI uri = URI.create(endpoint);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new ConfigException(name, value, "must be an http:// or https:// URL with a host");
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, "must be a URL: " + e.getMessage());
        }
    }

    private static void validateTopicsDir(String name, Object value) {
        try {
            ObjectKeyNamer.validatePrefix(value == null ? null : value.toString());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, e.getMessage());
        }
    }

    private static void validateOptionalFieldPath(String name, Object value) {
        String path = value == null ? "" : value.toString().trim();
        if (!path.isEmpty() && !PartitionPathFormatter.FIELD_PATH.matcher(path).matches()) {
            throw new ConfigException(name, value, "must be a dotted field path such as 'created_at' or "
                    + "'order.created_at'");
        }
    }

    private static void validateZone(String name, Object value) {
        try {
            ZoneId.of(value.toString().trim());
        } catch (DateTimeException | NullPointerException e) {
            throw new ConfigException(name, value, "must be a time zone id such as UTC or Europe/Berlin");
        }
    }

    private static void validatePartitionFields(String name, Object value) {
        @SuppressWarnings("unchecked")
        List<String> fields = (List<String>) value;
        if (fields.size() > MAX_PARTITION_FIELDS) {
            throw new ConfigException(name, value, "at most " + MAX_PARTITION_FIELDS + " fields are allowed");
        }
        for (String field : fields) {
            if (!PartitionPathFormatter.FIELD_PATH.matcher(field.trim()).matches()) {
                throw new ConfigException(name, value, "'" + field + "' is not a dotted field path");
            }
        }
    }

    private static void validateTopicPartitionFields(String name, Object value) {
        @SuppressWarnings("unchecked")
        List<String> entries = (List<String>) value;
        try {
            Map<String, List<String>> byTopic = parseTopicPartitionFields(entries);
            byTopic.forEach((topic, fields) -> validatePartitionFields(name + " (" + topic + ")", fields));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, e.getMessage());
        }
    }

    private static Map<String, List<String>> parseTopicPartitionFields(List<String> entries) {
        Map<String, List<String>> byTopic = new LinkedHashMap<>();
        for (String entry : entries) {
            int equals = entry.indexOf('=');
            String topic = equals < 0 ? "" : entry.substring(0, equals).trim();
            if (topic.isEmpty()) {
                throw new IllegalArgumentException("'" + entry.trim() + "' is not <topic>=<field>[;<field>...]");
            }
            List<String> fields = Arrays.stream(entry.substring(equals + 1).split(";"))
                    .map(String::trim).filter(field -> !field.isEmpty()).toList();
            if (byTopic.put(topic, fields) != null) {
                throw new IllegalArgumentException("topic '" + topic + "' is named twice");
            }
        }
        return byTopic;
    }

    private static void validateDisabledOrPositive(String name, Object value) {
        long v = (Long) value;
        if (v != -1 && v < 1) {
            throw new ConfigException(name, value, "must be -1 (disabled) or a positive number of milliseconds");
        }
    }
}
