package dev.sluice.app.dataset.source;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.sluice.app.connect.ApiException;
import dev.sluice.app.connect.ConfigReferenceResolver;
import dev.sluice.app.connect.ConnectorRequest;
import dev.sluice.app.connect.ConnectorService;
import dev.sluice.app.connect.SecretMasker;
import dev.sluice.app.dataset.DatasetActions;
import dev.sluice.app.dataset.DatasetSpec;
import dev.sluice.app.dataset.JdbcPolling;
import dev.sluice.app.dataset.SourceKind;
import dev.sluice.app.serde.RegistrySettings;
import dev.sluice.connect.template.ConnectorTemplates;
import jakarta.inject.Singleton;

/**
 * Datasets of kind {@code jdbc}: a JDBC source connector of their own (named by {@code source.connector}), created
 * from the {@value ConnectorTemplates#JDBC_SOURCE} template with the registry's Avro converter like the demo
 * warehouse source, polling the table of the {@link JdbcDatasetSettings} database into {@code source.topic}.
 * A connector that exists and polls the table among others (the demo's {@code warehouse-jdbc}) is left as it is;
 * one that polls other tables only is a problem. Deleting the dataset deletes the connector if it polls this table
 * alone (its topic and offsets stay).
 */
@Singleton
public class JdbcDatasetActions implements DatasetActions {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcDatasetActions.class);
    private static final String JDBC_SOURCE_CLASS = "dev.sluice.connect.jdbc.JdbcSourceConnector";
    private static final String PASSWORD_KEY = "sluice.datasets.jdbc.password-reference";

    private final ConnectorService connectors;
    private final ConfigReferenceResolver references;
    private final SecretMasker masker;
    private final JdbcDatasetSettings settings;
    private final RegistrySettings registry;
    private final ConnectorTemplates templates;

    public JdbcDatasetActions(ConnectorService connectors, ConfigReferenceResolver references, SecretMasker masker,
            JdbcDatasetSettings settings, RegistrySettings registry, ConnectorTemplates templates) {
        this.connectors = connectors;
        this.templates = templates;
        this.references = references;
        this.masker = masker;
        this.settings = settings;
        this.registry = registry;
    }

    @Override
    public List<String> problems(DatasetSpec spec) {
        if (spec.source().kind() != SourceKind.JDBC) {
            return List.of();
        }
        if (settings.getUrl() == null || settings.getUrl().isBlank()) {
            return List.of("sluice.datasets.jdbc.url: not set, so no JDBC source can be created (give "
                    + "SLUICE_DATASETS_JDBC_URL)");
        }
        TableName table;
        try {
            table = TableName.parse(spec.source().table());
        } catch (IllegalArgumentException e) {
            return List.of("source.table: " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        if (!spec.source().topic().endsWith(table.table())
                || spec.source().topic().length() == table.table().length()) {
            problems.add("source.topic: a JDBC source writes table " + table.table() + " to <prefix>" + table.table()
                    + ", so '" + spec.source().topic() + "' must be a prefix followed by '" + table.table() + "'");
        }
        String name = spec.source().connector();
        try {
            if (connectors.exists(name)) {
                Map<String, String> config = connectors.storedConfig(name);
                List<String> tables = tables(config);
                if (!JDBC_SOURCE_CLASS.equals(config.get("connector.class"))) {
                    problems.add("source.connector: a connector '" + name + "' exists and is no JDBC source");
                } else if (!tables.contains(spec.source().table()) && !tables.equals(List.of())) {
                    problems.add("source.connector: JDBC source '" + name + "' exists and polls other tables "
                            + tables + "; name a connector of the dataset's own");
                }
            }
        } catch (RuntimeException e) {
            problems.add("source.connector: Kafka Connect cannot tell whether '" + name + "' exists: "
                    + e.getMessage());
        }
        Set<String> columns;
        String password;
        try {
            password = references.resolve(PASSWORD_KEY, settings.connectPassword());
        } catch (ApiException e) {
            problems.add(PASSWORD_KEY + ": " + e.getMessage());
            return problems;
        }
        try {
            columns = columns(table, password);
        } catch (SQLException e) {
            problems.add("source.table: cannot read the columns of " + table.qualified() + " in " + settings.getUrl()
                    + ": " + masker.scrub(e.getMessage(), password.isEmpty() ? Set.of() : Set.of(password)));
            return problems;
        }
        if (columns.isEmpty()) {
            problems.add("source.table: no table " + table.qualified() + " in " + settings.getUrl());
            return problems;
        }
        JdbcPolling polling = spec.source().jdbc().orElseThrow();
        if (polling.mode().contains("incrementing") && !columns.contains(polling.incrementingColumn())) {
            problems.add("source.jdbc.incrementing-column: '" + polling.incrementingColumn() + "' is no column of "
                    + table.qualified() + " " + columns);
        }
        if (polling.mode().contains("timestamp") && !columns.contains(polling.timestampColumn())) {
            problems.add("source.jdbc.timestamp-column: '" + polling.timestampColumn() + "' is no column of "
                    + table.qualified() + " " + columns);
        }
        for (String field : spec.key()) {
            if (!columns.contains(field)) {
                problems.add("key: '" + field + "' is no column of " + table.qualified() + " " + columns);
            }
        }
        return problems;
    }

    @Override
    public void apply(DatasetSpec spec) {
        if (spec.source().kind() != SourceKind.JDBC) {
            return;
        }
        List<String> problems = problems(spec);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("dataset " + spec.name() + ": " + String.join("; ", problems));
        }
        String name = spec.source().connector();
        Map<String, String> parameters = parameters(spec);
        ConnectorRequest request = new ConnectorRequest(name, ConnectorTemplates.JDBC_SOURCE,
                new LinkedHashMap<>(parameters), null);
        if (!connectors.exists(name)) {
            connectors.create(request);
            LOG.info("dataset source applied dataset={} kind=jdbc connector={} created=true", spec.name(), name);
            return;
        }
        Map<String, String> stored = new HashMap<>(connectors.storedConfig(name));
        stored.remove("name");
        if (tables(stored).size() > 1) {
            // A shared source (the demo's warehouse-jdbc) already polls the table; its other tables are not ours.
            LOG.info("dataset source applied dataset={} kind=jdbc connector={} shared=true", spec.name(), name);
            return;
        }
        Map<String, String> wanted = templates.get(ConnectorTemplates.JDBC_SOURCE).render(parameters);
        if (!stored.equals(wanted)) {
            connectors.update(name, request);
        }
        LOG.info("dataset source applied dataset={} kind=jdbc connector={} created=false updated={}", spec.name(),
                name, !stored.equals(wanted));
    }

    @Override
    public void remove(DatasetSpec spec) {
        if (spec.source().kind() != SourceKind.JDBC) {
            return;
        }
        String name = spec.source().connector();
        boolean own = connectors.exists(name)
                && tables(connectors.storedConfig(name)).equals(List.of(spec.source().table()));
        if (own) {
            connectors.delete(name);
        }
        // A source that polls other tables too is left alone: deleting it would stop other datasets.
        LOG.info("dataset source removed dataset={} kind=jdbc connector={} deleted={}", spec.name(), name, own);
    }

    private static List<String> tables(Map<String, String> config) {
        List<String> tables = new ArrayList<>();
        for (String table : config.getOrDefault("tables", "").split(",")) {
            if (!table.isBlank()) {
                tables.add(table.strip());
            }
        }
        return tables;
    }

    /** The template's parameters for the dataset's table. */
    private Map<String, String> parameters(DatasetSpec spec) {
        TableName table = TableName.parse(spec.source().table());
        JdbcPolling polling = spec.source().jdbc().orElseThrow();
        String topic = spec.source().topic();
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("connection.url", settings.getUrl());
        parameters.put("connection.user", settings.getUser());
        parameters.put("connection.password", settings.connectPassword());
        parameters.put("tables", spec.source().table());
        parameters.put("mode", polling.mode());
        parameters.put("incrementing.column.name", polling.mode().contains("incrementing")
                ? polling.incrementingColumn() : "");
        parameters.put("timestamp.column.name", polling.mode().contains("timestamp") ? polling.timestampColumn() : "");
        parameters.put("key.columns", String.join(",", spec.key()));
        parameters.put("topic.prefix", topic.substring(0, topic.length() - table.table().length()));
        parameters.put("poll.interval.ms", Long.toString(polling.pollInterval().toMillis()));
        parameters.put("tasks.max", "1");
        parameters.put("registry.url", registry.apiV2Url());
        return parameters;
    }

    private Set<String> columns(TableName table, String password) throws SQLException {
        Properties login = new Properties();
        if (!settings.getUser().isBlank()) {
            login.setProperty("user", settings.getUser());
        }
        if (!password.isEmpty()) {
            login.setProperty("password", password);
        }
        Set<String> columns = new TreeSet<>();
        try (Connection connection = DriverManager.getConnection(settings.getUrl(), login);
                ResultSet rows = connection.getMetaData().getColumns(null, table.schema(), table.table(), null)) {
            while (rows.next()) {
                columns.add(rows.getString("COLUMN_NAME"));
            }
        }
        return columns;
    }
}
