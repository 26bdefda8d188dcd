package dev.sluice.connect.jdbc;

import dev.sluice.connect.PluginVersion;
import java.sql.Connection;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the tables assigned to it (or the custom query) over one JDBC connection, one page of one due table
 * per poll. The connection is read-only, and every page is read in a transaction of its own that ends before
 * poll() returns: between polls the task holds no transaction, snapshot or lock on the database.
 *
 * <p>When the database cannot be reached the task waits {@code connection.backoff.ms} and tries again; after
 * {@code connection.attempts} failures in a row it fails with the last error. Every retry re-reads from the
 * last delivered row, so an outage neither skips nor repeats rows.
 */
public class JdbcSourceTask extends SourceTask {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcSourceTask.class);
    private static final int VALIDITY_TIMEOUT_SECONDS = 5;
    /** Prefix of the database session's application name (PostgreSQL's application_name), then the connector. */
    static final String APPLICATION_NAME_PREFIX = "sluice-jdbc-source:";

    // Guards the connection and the readers: stop() arrives on another thread than poll().
    private final ReentrantLock lock = new ReentrantLock();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    /** Decides when a table is due to be read again (poll.interval.ms). */
    private final Clock clock;
    private volatile boolean stopping;

    private JdbcSourceTaskConfig config;
    private String sources;
    private String applicationName;
    private ConnectionFactory connections;
    private RetryBudget retries;
    private Connection connection;
    private DatabaseDialect dialect;
    private List<SourceReader> readers;
    private TimestampBound timestampBound;

    public JdbcSourceTask() {
        this(Clock.systemUTC());
    }

    /** A task on another clock than the system's, for tests. */
    JdbcSourceTask(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String version() {
        return PluginVersion.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new JdbcSourceTaskConfig(props);
        connections = ConnectionFactory.of(config);
        retries = new RetryBudget(config.connectionAttempts(), config.connectionBackoffMs());
        sources = config.query().isPresent() ? "the custom query" : "tables " + config.taskTables();
        applicationName = APPLICATION_NAME_PREFIX + props.getOrDefault("name", "");
        LOG.info("Starting JDBC source task: {} in mode {} from {}", sources, config.mode().configValue(),
                connections.redactedUrl());
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        while (!stopping) {
            long waitMs;
            lock.lock();
            try {
                if (stopping) {
                    break;
                }
                long now = clock.millis();
                String attempt = "connect to " + connections.redactedUrl() + " to read " + sources;
                try {
                    prepare();
                    SourceReader reader = nextDue(now);
                    if (reader != null) {
                        attempt = "read " + reader.description() + " from " + connections.redactedUrl();
                        if (!reader.hasMore()) {
                            reconnectIfInvalid();
                        }
                        List<SourceRecord> records = reader.read(connection, now);
                        retries.success();
                        if (!records.isEmpty()) {
                            LOG.debug("Read {} rows of {}; offset now {}", records.size(), reader.description(),
                                    reader.offset());
                            return records;
                        }
                        continue;
                    }
                    waitMs = readers.stream().mapToLong(SourceReader::nextRunAtMs).min().orElse(now) - now;
                } catch (SQLException e) {
                    SQLException safe = connections.sanitize(e);
                    closeConnection();
                    waitMs = retries.failure(attempt, safe);
                    LOG.warn("Attempt {} of {} to {} failed, retrying in {} ms: SQLState {}: {}",
                            retries.failures(), retries.attempts(), attempt, waitMs, safe.getSQLState(),
                            safe.getMessage());
                } catch (DataException e) {
                    closeConnection();
                    throw new ConnectException("failed to " + attempt + ": " + e.getMessage(), e);
                }
            } finally {
                if (stopping) {
                    closeConnection();
                }
                lock.unlock();
            }
            stopRequested.await(Math.max(waitMs, 0), TimeUnit.MILLISECONDS);
            // Return after a wait so the worker can pause or stop the task between polls.
            return null;
        }
        return null;
    }

    @Override
    public void stop() {
        stopping = true;
        stopRequested.countDown();
        // If poll() holds the lock it closes everything itself on its way out.
        if (lock.tryLock()) {
            try {
                closeConnection();
            } finally {
                lock.unlock();
            }
        }
    }

    private void prepare() throws SQLException {
        if (connection == null) {
            connection = connections.open();
            nameSession();
            // Read-only: a query that tries to write fails in the database (defence in depth behind the query
            // check). Explicit transactions: drivers such as pgjdbc apply read-only and stream a result in
            // pages only inside one.
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            dialect = DatabaseDialect.from(connection.getMetaData());
            if (dialect.isPostgres()) {
                // The in-flight bound needs each statement to see what committed before it started.
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
        }
        if (readers == null) {
            readers = createReaders();
        }
    }

    // So that an operator can tell the source's sessions apart, e.g. in pg_stat_activity.
    private void nameSession() {
        try {
            connection.setClientInfo("ApplicationName", applicationName);
        } catch (SQLClientInfoException e) {
            LOG.debug("The driver does not take an application name: {}", e.getMessage());
        }
    }

    private void reconnectIfInvalid() throws SQLException {
        if (!connection.isValid(VALIDITY_TIMEOUT_SECONDS)) {
            LOG.info("Connection to {} is no longer valid; reconnecting", connections.redactedUrl());
            closeConnection();
            prepare();
        }
    }

    private SourceReader nextDue(long now) {
        return readers.stream()
                .filter(r -> r.nextRunAtMs() <= now)
                .min(Comparator.comparingLong(SourceReader::nextRunAtMs))
                .orElse(null);
    }

    private List<SourceReader> createReaders() throws SQLException {
        TypeMapper typeMapper = new TypeMapper(config.dbTimeZone());
        List<SourceReader.Spec> specs = new ArrayList<>();
        if (config.query().isPresent()) {
            String topic = config.topicPrefix();
            specs.add(new SourceReader.Spec("custom query", Map.of("query", topic), topic,
                    RowConverter.schemaName(topic), QueryBuilder.fromQuery(config.query().get()),
                    keyColumns(List.of())));
        } else {
            TableResolver resolver = new TableResolver(connection);
            for (TableId configured : config.taskTables()) {
                TableId table;
                try {
                    table = resolver.resolve(configured);
                } catch (TableResolver.UnresolvedTableException e) {
                    throw new ConnectException(e.getMessage() + " (" + JdbcSourceConnectorConfig.TABLES + ")");
                }
                specs.add(new SourceReader.Spec("table " + table.dottedName(), Map.of("table", table.dottedName()),
                        config.topicFor(table), RowConverter.schemaName(table.table()), dialect.quote(table),
                        keyColumns(resolver.primaryKey(table))));
            }
        }
        Collection<Map<String, Object>> partitions = new ArrayList<>();
        specs.forEach(spec -> partitions.add(Map.copyOf(spec.partition())));
        Map<Map<String, Object>, Map<String, Object>> committed =
                context.offsetStorageReader().offsets(partitions);
        List<SourceReader> created = new ArrayList<>();
        if (timestampBound == null) {
            // One per task, kept across reconnects: the bound it learnt stays valid.
            timestampBound = TimestampBound.of(dialect, typeMapper, config.timestampDelayMs());
        }
        for (SourceReader.Spec spec : specs) {
            SourceOffset offset;
            try {
                offset = SourceOffset.fromMap(committed == null ? null : committed.get(spec.partition()));
            } catch (IllegalArgumentException e) {
                throw new ConnectException("the committed offset of " + spec.description() + " is invalid: "
                        + e.getMessage());
            }
            LOG.info("Reading {} into topic {} starting after {}", spec.description(), spec.topic(), offset);
            created.add(new SourceReader(spec, config, dialect, typeMapper, timestampBound, offset));
        }
        return created;
    }

    private List<String> keyColumns(List<String> primaryKey) {
        if (!config.keyColumns().isEmpty()) {
            return config.keyColumns();
        }
        return config.incrementingColumn().map(List::of).orElse(primaryKey);
    }

    private void closeConnection() {
        if (readers != null) {
            readers.forEach(SourceReader::close);
        }
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("Closing the connection to {} failed: {}", connections.redactedUrl(), e.getMessage());
            }
            connection = null;
        }
    }
}
