package dev.sluice.app.connect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

/**
 * Triggers Debezium incremental snapshots of a PostgreSQL CDC connector by inserting an {@code execute-snapshot}
 * row into its signalling table ({@code signal.data.collection}). Debezium reads the row from the WAL and re-reads
 * the tables in chunks while it keeps streaming. The database is reached with the connector's own host, port,
 * database, user and password; a password given as a config-provider reference is resolved like Connect does.
 */
@Singleton
public class IncrementalSnapshots {

    private static final Logger LOG = LoggerFactory.getLogger(IncrementalSnapshots.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");
    private static final Pattern QUALIFIED_TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*\\.[A-Za-z_][A-Za-z0-9_$]*");

    private final ConnectorService connectors;
    private final ConnectorDatabase databases;
    private final SecretMasker masker;

    public IncrementalSnapshots(ConnectorService connectors, ConnectorDatabase databases, SecretMasker masker) {
        this.connectors = connectors;
        this.databases = databases;
        this.masker = masker;
    }

    /**
     * Signals an incremental snapshot of {@code tables} to connector {@code name}.
     *
     * @throws ApiException 400 when the connector is not a Debezium PostgreSQL connector, has no signalling table,
     *         or a table is not captured by it; 502 when its database cannot be written
     */
    public SnapshotAccepted trigger(String name, List<String> tables) {
        Map<String, String> config = connectors.storedConfig(name);
        if (!ConnectorDatabase.isPostgresCdc(config)) {
            throw ApiException.invalidField("connector.class", "incremental snapshots are signalled to "
                    + ConnectorDatabase.DEBEZIUM_POSTGRES + " connectors; '" + name + "' is " + config.get("connector.class"));
        }
        String signalTable = config.get("signal.data.collection");
        if (signalTable == null || !QUALIFIED_TABLE.matcher(signalTable.strip()).matches()) {
            throw ApiException.invalidField("signal.data.collection", "connector '" + name + "' has no signalling "
                    + "table (schema.table) configured, so it cannot be signalled");
        }
        signalTable = signalTable.strip();
        List<String> requested = checkTables(tables, config, signalTable);

        String id = UUID.randomUUID().toString();
        Map<String, Object> signal = new LinkedHashMap<>();
        signal.put("data-collections", requested);
        signal.put("type", "incremental");
        String data = json(signal);
        ConnectorDatabase.Target database = databases.target(config, "sluice-snapshot-signal");
        try (Connection connection = database.open();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO " + quoted(signalTable)
                        + " (id, type, data) VALUES (?, ?, ?)")) {
            insert.setString(1, id);
            insert.setString(2, "execute-snapshot");
            insert.setString(3, data);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, "Database unavailable", "cannot write the snapshot "
                    + "signal to " + signalTable + " in " + database.url() + ": "
                    + masker.scrub(e.getMessage(), database.secrets()));
        }
        LOG.info("incremental snapshot signalled connector={} signal={} tables={}", name, id, requested);
        return new SnapshotAccepted(name, id, signalTable, requested);
    }

    /** The requested tables, each captured by the connector (table.include.list / table.exclude.list). */
    private static List<String> checkTables(List<String> tables, Map<String, String> config, String signalTable) {
        if (tables == null || tables.isEmpty()) {
            throw ApiException.invalidField("tables", "give at least one table as schema.table");
        }
        List<Pattern> include = patterns(config.get("table.include.list"), "table.include.list");
        List<Pattern> exclude = patterns(config.get("table.exclude.list"), "table.exclude.list");
        Set<String> requested = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        for (String table : tables) {
            String t = table == null ? "" : table.strip();
            if (!QUALIFIED_TABLE.matcher(t).matches()) {
                problems.add("'" + table + "' is not a schema.table name");
            } else if (t.equalsIgnoreCase(signalTable)) {
                problems.add("'" + t + "' is the signalling table");
            } else if ((!include.isEmpty() && include.stream().noneMatch(p -> p.matcher(t).matches()))
                    || exclude.stream().anyMatch(p -> p.matcher(t).matches())) {
                problems.add("'" + t + "' is not captured by this connector (table.include.list: "
                        + config.getOrDefault("table.include.list", "") + ")");
            } else {
                requested.add(t);
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid("cannot snapshot: " + String.join("; ", problems),
                    List.of(new Problem.FieldError("tables", problems)));
        }
        return List.copyOf(requested);
    }

    /** Debezium reads these lists as comma-separated regular expressions matched case-insensitively. */
    private static List<Pattern> patterns(String list, String key) {
        if (list == null || list.isBlank()) {
            return List.of();
        }
        try {
            return Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                    .map(s -> Pattern.compile(s, Pattern.CASE_INSENSITIVE)).toList();
        } catch (PatternSyntaxException e) {
            throw ApiException.invalidField(key, "not a list of regular expressions: " + e.getDescription());
        }
    }

    private static String quoted(String qualifiedTable) {
        StringBuilder quoted = new StringBuilder();
        for (String part : qualifiedTable.split("\\.")) {
            if (!IDENTIFIER.matcher(part).matches()) {
                throw ApiException.invalidField("signal.data.collection", "'" + qualifiedTable
                        + "' is not a schema.table name");
            }
            if (!quoted.isEmpty()) {
                quoted.append('.');
            }
            quoted.append('"').append(part).append('"');
        }
        return quoted.toString();
    }

    private static String json(Map<String, Object> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("signal data not serialisable", e);
        }
    }
}
