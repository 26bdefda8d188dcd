package dev.sluice.app.connect;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;

/**
 * The database of a Debezium PostgreSQL connector, reached as the connector reaches it: its host, port, database,
 * user, password and sslmode; a password or user given as a config-provider reference is resolved like Connect does.
 * Used to signal incremental snapshots and to watch and drop the connector's replication slot.
 */
@Singleton
public class ConnectorDatabase {

    /** The connector class whose configuration this reads. */
    static final String DEBEZIUM_POSTGRES = "io.debezium.connector.postgresql.PostgresConnector";

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:.]+]");
    private static final int CONNECT_TIMEOUT_SECONDS = 10;
    private static final int SOCKET_TIMEOUT_SECONDS = 30;

    private final ConfigReferenceResolver references;

    public ConnectorDatabase(ConfigReferenceResolver references) {
        this.references = references;
    }

    /** Whether {@code config} is a Debezium PostgreSQL connector's. */
    public static boolean isPostgresCdc(Map<String, String> config) {
        return DEBEZIUM_POSTGRES.equals(config.get("connector.class"));
    }

    /**
     * Where and as whom to connect for the connector of {@code config}.
     *
     * @param applicationName shown in {@code pg_stat_activity}, so a DBA sees who connects
     * @throws ApiException 400 naming the setting that is missing or malformed
     */
    public Target target(Map<String, String> config, String applicationName) {
        String password = config.get("database.password") == null ? null
                : references.resolve("database.password", config.get("database.password"));
        Properties props = new Properties();
        String user = config.get("database.user");
        if (user != null) {
            props.setProperty("user", references.resolve("database.user", user));
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        String sslMode = config.get("database.sslmode");
        if (sslMode != null && !sslMode.isBlank()) {
            props.setProperty("sslmode", sslMode.strip());
        }
        props.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        props.setProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_SECONDS));
        props.setProperty("ApplicationName", applicationName);
        return new Target(jdbcUrl(config), props, password == null ? Set.of() : Set.of(password));
    }

    /**
     * A database to connect to.
     *
     * @param url     JDBC URL, without credentials
     * @param secrets values to scrub from any message about this database
     */
    public record Target(String url, Properties properties, Set<String> secrets) {

        public Connection open() throws SQLException {
            return DriverManager.getConnection(url, properties);
        }

        /** The same database as another role (e.g. one that may change the publication); the password is secret. */
        public Target as(String user, String password) {
            Properties login = new Properties();
            login.putAll(properties);
            login.setProperty("user", user);
            login.setProperty("password", password);
            return new Target(url, login, Set.of(password));
        }

        @Override
        public String toString() {
            return "Target[url=" + url + "]";
        }
    }

    private static String jdbcUrl(Map<String, String> config) {
        String host = config.getOrDefault("database.hostname", "").strip();
        String port = config.getOrDefault("database.port", "5432").strip();
        String database = config.getOrDefault("database.dbname", "").strip();
        if (!HOST.matcher(host).matches()) {
            throw ApiException.invalidField("database.hostname", "'" + host + "' is not a host name");
        }
        if (!port.matches("[0-9]{1,5}")) {
            throw ApiException.invalidField("database.port", "'" + port + "' is not a port");
        }
        if (database.isEmpty() || database.contains("${")) {
            throw ApiException.invalidField("database.dbname", "a database name is required");
        }
        return "jdbc:postgresql://" + host + ":" + port + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
