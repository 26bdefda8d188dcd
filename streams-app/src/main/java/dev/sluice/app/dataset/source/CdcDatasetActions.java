package dev.sluice.app.dataset.source;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.app.connect.ApiException;
import dev.sluice.app.connect.ConnectorDatabase;
import dev.sluice.app.connect.ConnectorRequest;
import dev.sluice.app.connect.ConnectorService;
import dev.sluice.app.connect.ConnectorView;
import dev.sluice.app.connect.ReplicationSlots;
import dev.sluice.app.connect.SecretMasker;
import dev.sluice.app.dataset.DatasetActions;
import dev.sluice.app.dataset.DatasetSpec;
import dev.sluice.app.dataset.SourceKind;
import jakarta.inject.Singleton;

/**
 * Datasets of kind {@code cdc}: their table joins the CDC connector's {@code table.include.list} (a PUT of its
 * configuration through the {@link ConnectorService}; the signalling table stays) and its PostgreSQL publication
 * ({@code ALTER PUBLICATION .. ADD TABLE}, {@code GRANT SELECT} to the connector's role), as the
 * {@link PublicationSettings} login: the CDC role may replicate and read but owns nothing; the connector is paused
 * meanwhile. Rows already in the table before are not copied (signal an incremental snapshot for them). Deleting
 * the dataset takes the table out of both again, except the {@link PublicationSettings#getKeptTables() kept
 * tables}.
 */
@Singleton
public class CdcDatasetActions implements DatasetActions {

    private static final Logger LOG = LoggerFactory.getLogger(CdcDatasetActions.class);
    private static final String APPLICATION_NAME = "sluice-datasets";
    private static final String INCLUDE_LIST = "table.include.list";
    private static final Duration PAUSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PAUSE_POLL = Duration.ofMillis(200);

    private final ConnectorService connectors;
    private final ConnectorDatabase databases;
    private final SecretMasker masker;
    private final PublicationSettings settings;
    private final Clock clock;

    public CdcDatasetActions(ConnectorService connectors, ConnectorDatabase databases, SecretMasker masker,
            PublicationSettings settings, Clock clock) {
        this.connectors = connectors;
        this.clock = clock;
        this.databases = databases;
        this.masker = masker;
        this.settings = settings;
    }

    @Override
    public List<String> problems(DatasetSpec spec) {
        if (spec.source().kind() != SourceKind.CDC) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        TableName table;
        try {
            table = TableName.parse(spec.source().table());
        } catch (IllegalArgumentException e) {
            return List.of("source.table: " + e.getMessage());
        }
        String name = spec.source().connector();
        Map<String, String> config;
        try {
            if (!connectors.exists(name)) {
                return List.of("source.connector: no connector '" + name + "' on Kafka Connect");
            }
            config = connectors.storedConfig(name);
        } catch (RuntimeException e) {
            return List.of("source.connector: Kafka Connect cannot tell whether '" + name + "' exists: "
                    + e.getMessage());
        }
        if (!ConnectorDatabase.isPostgresCdc(config)) {
            return List.of("source.connector: '" + name + "' is no Debezium PostgreSQL connector");
        }
        if (!hasPublisher() && includeList(config).contains(table.qualified())) {
            // Captured already (the shop's own tables): nothing to change, so no login is needed to change it.
            return List.of();
        }
        if (!hasPublisher()) {
            return List.of("sluice.datasets.publication.password: not set, so the publication of '" + name
                    + "' cannot be changed (give SLUICE_DATASETS_PUBLICATION_PASSWORD)");
        }
        String publication = ReplicationSlots.publicationName(config);
        ConnectorDatabase.Target database;
        try {
            database = publisherDatabase(config);
        } catch (ApiException e) {
            return List.of("source.connector: the database of '" + name + "' cannot be reached: " + e.getMessage());
        }
        try (Connection connection = database.open()) {
            Optional<TableFacts> facts = tableFacts(connection, table);
            if (facts.isEmpty()) {
                problems.add("source.table: no table " + table.qualified() + " in " + database.url());
            } else {
                if (!facts.get().identified()) {
                    problems.add("source.table: " + table.qualified() + " has neither a primary key nor a REPLICA "
                            + "IDENTITY (FULL or USING INDEX), so its updates and deletes cannot be captured");
                }
                if (!facts.get().ownedByUs()) {
                    problems.add("sluice.datasets.publication.user: role '" + settings.getUser() + "' lacks the "
                            + "ownership rights of table " + table.qualified() + " that ALTER PUBLICATION needs");
                }
            }
            Optional<Boolean> publicationOwned = publicationOwned(connection, publication);
            if (publicationOwned.isEmpty()) {
                problems.add("source.connector: publication '" + publication + "' of connector '" + name
                        + "' does not exist in " + database.url());
            } else if (!publicationOwned.get()) {
                problems.add("sluice.datasets.publication.user: role '" + settings.getUser() + "' lacks the "
                        + "ownership rights of publication '" + publication + "' that ALTER PUBLICATION needs");
            }
        } catch (SQLException e) {
            problems.add("sluice.datasets.publication.user: cannot check " + table.qualified() + " in "
                    + database.url() + " as '" + settings.getUser() + "': "
                    + masker.scrub(e.getMessage(), database.secrets()));
        }
        return problems;
    }

    @Override
    public void apply(DatasetSpec spec) {
        if (spec.source().kind() != SourceKind.CDC) {
            return;
        }
        requireNoProblems(spec);
        TableName table = TableName.parse(spec.source().table());
        String name = spec.source().connector();
        Map<String, String> config = connectors.storedConfig(name);
        if (!hasPublisher() && includeList(config).contains(table.qualified())) {
            LOG.info("dataset source applied dataset={} kind=cdc connector={} table={} captured=already",
                    spec.name(), name, table.qualified());
            return;
        }
        String publication = ReplicationSlots.publicationName(config);
        ConnectorDatabase.Target database = publisherDatabase(config);
        String cdcRole = databases.target(config, APPLICATION_NAME).properties().getProperty("user");
        List<String> included = includeList(config);
        boolean added = !included.contains(table.qualified());
        // While the table joins, the connector is paused, so that a task with the old include list is not streaming
        // the table's first changes meanwhile (it would skip them and commit past them).
        boolean paused = added && pause(name);
        try {
            boolean published = publish(spec, table, publication, database, cdcRole);
            if (added) {
                included.add(table.qualified());
                putIncludeList(name, config, included);
            }
            LOG.info("dataset source applied dataset={} kind=cdc connector={} table={} publicationAdded={} "
                    + "includeListAdded={}", spec.name(), name, table.qualified(), !published, added);
        } finally {
            if (paused) {
                connectors.resume(name);
            }
        }
    }

    /** @return whether the table was in the publication already */
    private boolean publish(DatasetSpec spec, TableName table, String publication, ConnectorDatabase.Target database,
            String cdcRole) {
        boolean published;
        try (Connection connection = database.open(); Statement statement = connection.createStatement()) {
            published = inPublication(connection, publication, table);
            if (!published) {
                statement.execute("ALTER PUBLICATION " + quote(publication) + " ADD TABLE " + quoted(table));
            }
            if (cdcRole != null) {
                statement.execute("GRANT SELECT ON " + quoted(table) + " TO " + quote(cdcRole));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("dataset " + spec.name() + ": cannot add " + table.qualified()
                    + " to publication '" + publication + "': " + masker.scrub(e.getMessage(), database.secrets()), e);
        }
        return published;
    }

    /**
     * Pauses a running connector and waits until its tasks stopped.
     *
     * @return whether this call paused it (one paused by an operator stays paused and takes the change on resume)
     */
    private boolean pause(String name) {
        if ("PAUSED".equals(connectors.get(name).state())) {
            return false;
        }
        connectors.pause(name);
        Instant deadline = clock.instant().plus(PAUSE_TIMEOUT);
        while (!paused(connectors.get(name))) {
            if (clock.instant().isAfter(deadline)) {
                connectors.resume(name);
                throw new IllegalStateException("connector '" + name + "' did not pause within " + PAUSE_TIMEOUT
                        + ", so table changes were not made");
            }
            try {
                Thread.sleep(PAUSE_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                connectors.resume(name);
                throw new IllegalStateException("interrupted while pausing connector '" + name + "'", e);
            }
        }
        return true;
    }

    private static boolean paused(ConnectorView view) {
        return "PAUSED".equals(view.state()) && !view.tasks().isEmpty()
                && view.tasks().stream().allMatch(task -> "PAUSED".equals(task.state()));
    }

    @Override
    public void remove(DatasetSpec spec) {
        if (spec.source().kind() != SourceKind.CDC) {
            return;
        }
        TableName table = TableName.parse(spec.source().table());
        String name = spec.source().connector();
        if (settings.getKeptTables().contains(table.qualified())) {
            LOG.info("dataset source kept dataset={} kind=cdc table={} reason=kept-table", spec.name(),
                    table.qualified());
            return;
        }
        if (!connectors.exists(name)) {
            LOG.info("dataset source removed dataset={} kind=cdc connector={} reason=connector-absent", spec.name(),
                    name);
            return;
        }
        Map<String, String> config = connectors.storedConfig(name);
        List<String> included = includeList(config);
        boolean dropped = included.remove(table.qualified());
        if (dropped) {
            putIncludeList(name, config, included);
        }
        String publication = ReplicationSlots.publicationName(config);
        ConnectorDatabase.Target database = publisherDatabase(config);
        boolean unpublished = false;
        try (Connection connection = database.open(); Statement statement = connection.createStatement()) {
            if (inPublication(connection, publication, table)) {
                statement.execute("ALTER PUBLICATION " + quote(publication) + " DROP TABLE " + quoted(table));
                unpublished = true;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("dataset " + spec.name() + ": cannot drop " + table.qualified()
                    + " from publication '" + publication + "': " + masker.scrub(e.getMessage(), database.secrets()),
                    e);
        }
        LOG.info("dataset source removed dataset={} kind=cdc connector={} table={} publicationDropped={} "
                + "includeListDropped={}", spec.name(), name, table.qualified(), unpublished, dropped);
    }

    private void requireNoProblems(DatasetSpec spec) {
        List<String> problems = problems(spec);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("dataset " + spec.name() + ": " + String.join("; ", problems));
        }
    }

    private boolean hasPublisher() {
        return settings.getPassword() != null && !settings.getPassword().isBlank();
    }

    private ConnectorDatabase.Target publisherDatabase(Map<String, String> config) {
        return databases.target(config, APPLICATION_NAME).as(settings.getUser(), settings.getPassword());
    }

    private void putIncludeList(String name, Map<String, String> config, List<String> tables) {
        Map<String, Object> changed = new LinkedHashMap<>(config);
        changed.remove("name");
        changed.put(INCLUDE_LIST, String.join(",", tables));
        connectors.update(name, new ConnectorRequest(null, null, null, changed));
    }

    private static List<String> includeList(Map<String, String> config) {
        List<String> tables = new ArrayList<>();
        Arrays.stream(config.getOrDefault(INCLUDE_LIST, "").split(",")).map(String::strip)
                .filter(t -> !t.isEmpty()).forEach(tables::add);
        return tables;
    }

    /** Facts about a table, as the publisher sees them. */
    private record TableFacts(boolean identified, boolean ownedByUs) {
    }

    private static Optional<TableFacts> tableFacts(Connection connection, TableName table) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT c.relreplident, "
                + "EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary), "
                + "pg_has_role(current_user, c.relowner, 'USAGE') "
                + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')")) {
            select.setString(1, table.schema());
            select.setString(2, table.table());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                String identity = row.getString(1);
                // d: the primary key (if any) identifies rows; f: every column; i: a chosen unique index.
                boolean identified = "f".equals(identity) || "i".equals(identity)
                        || "d".equals(identity) && row.getBoolean(2);
                return Optional.of(new TableFacts(identified, row.getBoolean(3)));
            }
        }
    }

    private static Optional<Boolean> publicationOwned(Connection connection, String publication) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT pg_has_role(current_user, pubowner, 'USAGE') FROM pg_publication WHERE pubname = ?")) {
            select.setString(1, publication);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getBoolean(1)) : Optional.empty();
            }
        }
    }

    private static boolean inPublication(Connection connection, String publication, TableName table)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM pg_publication_tables "
                + "WHERE pubname = ? AND schemaname = ? AND tablename = ?")) {
            select.setString(1, publication);
            select.setString(2, table.schema());
            select.setString(3, table.table());
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    private static String quoted(TableName table) {
        return quote(table.schema()) + "." + quote(table.table());
    }

    /** A SQL identifier in double quotes (names from connector configs are not checked like a spec's). */
    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
