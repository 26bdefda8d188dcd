package dev.sluice.connect.s3;

import dev.sluice.connect.PluginVersion;
import dev.sluice.lake.ConditionalWriteProbe;
import dev.sluice.lake.ObjectKeyNamer;
import dev.sluice.lake.S3ClientFactory;
import java.time.Clock;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Writes records as Parquet objects into S3, exactly once: Kafka only commits offsets of records
 * whose objects are complete in S3, object names are deterministic, and on assignment each
 * partition resumes after its S3 checkpoint. See docs/connectors/s3-parquet-sink.md.
 */
public class S3ParquetSinkTask extends SinkTask {

    private static final Logger log = LoggerFactory.getLogger(S3ParquetSinkTask.class);
    /** How long Connect waits before delivering the records again while the registry cannot be reached. */
    static final long REGISTRY_RETRY_MS = 2_000;

    private final Clock clock;
    private S3ParquetSinkConfig config;
    private S3Client s3;
    private TopicAndGroupLookup cluster;
    private RecordRouters routers;
    private PartitionWriters writers;
    private ErrantRecordReporter reporter;
    private RegistryValueDecoder decoder;
    private boolean registryUnreachable;
    private S3ParquetSinkConfig.NullValueBehavior nullValues;
    private boolean toleratesErrors;
    private long ignoredNullValues;

    public S3ParquetSinkTask() {
        this(Clock.systemUTC());
    }

    /** For tests that control idle rotation and the lake's freshness, which are all the clock is read for. */
    S3ParquetSinkTask(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new S3ParquetSinkConfig(props);
        nullValues = config.nullValueBehavior();
        toleratesErrors = config.toleratesErrors();
        s3 = S3ClientFactory.create(config.region(), config.pathStyleAccess(), config.endpoint(),
                config.accessKeyId().map(Password::value), config.secretAccessKey().map(Password::value));
        ObjectKeyNamer namer = new ObjectKeyNamer(config.topicsDir());
        routers = new RecordRouters(config);
        ConnectToAvroConverter converter = new ConnectToAvroConverter(config.kafkaMetadataColumns(),
                nullValues == S3ParquetSinkConfig.NullValueBehavior.DELETE);
        RotationPolicy policy = RotationPolicy.from(config);
        S3OffsetCheckpoints checkpoints = new S3OffsetCheckpoints(s3, config.bucket(), namer,
                config.connectorName() + "/" + UUID.randomUUID().toString().substring(0, 8));
        verifyConditionalWrites(namer);
        reporter = errantRecordReporter();
        decoder = config.valueRegistryUrl().map(RegistryValueDecoder::new).orElse(null);
        cluster = TopicAndGroupLookup.create(config);
        writers = new PartitionWriters(config.maxOpenFiles(), context, cluster, budget -> new WriterContext(s3,
                config.parquetFileSettings(), namer, converter, policy, checkpoints, reporter, clock, budget,
                new LakeFreshness(context.pluginMetrics())));
        log.info("Writing to s3://{}/{}/ as {} Parquet; null values: {}; errant records go to {}", config.bucket(),
                config.topicsDir(), config.codec(), nullValues.name().toLowerCase(Locale.ROOT),
                reporter != null ? "the errant record reporter"
                        : toleratesErrors ? "the log (errors.tolerance=all, no DLQ)" : "a task failure");
    }

    /** Fencing rests on conditional writes: refuse to start on a server that ignores them. */
    private void verifyConditionalWrites(ObjectKeyNamer namer) {
        try {
            ConditionalWriteProbe.verify(s3, config.bucket(), namer);
        } catch (UnsupportedOperationException e) {
            throw new ConnectException(e.getMessage(), e);
        } catch (SdkException e) {
            throw new ConnectException("Probing s3://" + config.bucket() + " for conditional writes failed", e);
        }
    }

    private ErrantRecordReporter errantRecordReporter() {
        try {
            return context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            // Workers before Kafka 2.6 have no errant record reporter.
            return null;
        }
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        writers.close(partitions);
        writers.open(partitions);
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        try {
            putAll(records);
        } catch (RetriableException e) {
            // Connect keeps the batch, pauses the partitions and delivers it again; records already written from it
            // are recognised as redeliveries.
            context.timeout(REGISTRY_RETRY_MS);
            if (!registryUnreachable) {
                registryUnreachable = true;
                log.warn("Paused: {}", e.getMessage());
            }
            throw e;
        }
        if (registryUnreachable) {
            registryUnreachable = false;
            log.info("The schema registry answers again; writing resumed");
        }
    }

    private void putAll(Collection<SinkRecord> records) {
        writers.startBatch();
        // A batch holds runs of records of one partition: look the partition and its writer up once per run.
        TopicPartition tp = null;
        TopicPartitionWriter writer = null;
        for (SinkRecord record : records) {
            if (tp == null || tp.partition() != record.kafkaPartition() || !tp.topic().equals(record.topic())) {
                tp = new TopicPartition(record.topic(), record.kafkaPartition());
                writer = null;
            }
            if (writers.isRewinding(tp)) {
                continue;
            }
            if (writer == null) {
                writer = writers.writer(tp);
            }
            if (writer.isRedelivery(record.kafkaOffset())) {
                continue;
            }
            if (writer.isDurable(record.kafkaOffset())) {
                writer.skip(record.kafkaOffset());
                continue;
            }
            try {
                write(writer, record);
            } catch (PartitionWriteException e) {
                writers.recover(e);
            } catch (PartitionFencedException e) {
                writers.fence(e);
            }
        }
        writers.rotateIdle(clock.millis());
    }

    private void write(TopicPartitionWriter writer, SinkRecord record) {
        if (record.value() == null && nullValues == S3ParquetSinkConfig.NullValueBehavior.IGNORE) {
            ignoredNullValues++;
            log.debug("Ignored null value at {}-{}@{} ({} so far)", record.topic(), record.kafkaPartition(),
                    record.kafkaOffset(), ignoredNullValues);
            writer.skip(record.kafkaOffset());
            return;
        }
        try {
            if (record.value() == null) {
                if (nullValues != S3ParquetSinkConfig.NullValueBehavior.DELETE) {
                    throw new DataException("Null value (tombstone); set " + S3ParquetSinkConfig.BEHAVIOR_ON_NULL_VALUES
                            + "=delete to write these as delete markers, or =ignore to skip them");
                }
                // No value to route by: the Kafka timestamp chooses the hour.
                writer.writeTombstone(record, routers.route(record));
                return;
            }
            SinkRecord decoded = decoder == null ? record : decoder.decode(record);
            if (decoded.valueSchema() == null) {
                throw new DataException("Schemaless value; use a converter that provides schemas (Avro, or JSON "
                        + "with schemas.enable=true)");
            }
            writer.write(decoded, routers.route(decoded));
        } catch (DataException e) {
            handleErrant(writer, record, e);
        }
    }

    private void handleErrant(TopicPartitionWriter writer, SinkRecord record, DataException cause) {
        String where = "topic " + record.topic() + ", partition " + record.kafkaPartition() + ", offset "
                + record.kafkaOffset();
        if (reporter != null && toleratesErrors) {
            writer.deadLetter(record, cause);
        } else if (reporter != null) {
            // errors.tolerance=none: the worker's reporter logs or dead-letters the record, then fails the task.
            reporter.report(record, cause);
            writer.skip(record.kafkaOffset());
        } else if (toleratesErrors) {
            log.warn("Skipped record at {} (errors.tolerance=all, no dead letter queue): {}", where,
                    cause.getMessage());
            writer.skip(record.kafkaOffset());
        } else {
            throw new DataException("Cannot write the record at " + where + ": " + cause.getMessage()
                    + ". Configure errors.tolerance=all and errors.deadletterqueue.topic.name to route such records "
                    + "to a dead letter queue", cause);
        }
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        writers.rotateIdle(clock.millis());
        return writers.committableOffsets();
    }

    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        // preCommit does the work: offsets are committed only up to what is durable in S3.
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        if (writers != null) {
            writers.close(partitions);
        }
    }

    @Override
    public void stop() {
        try {
            if (writers != null) {
                writers.closeAll();
            }
        } finally {
            if (s3 != null) {
                s3.close();
            }
            if (cluster != null) {
                cluster.close();
            }
        }
    }
}
