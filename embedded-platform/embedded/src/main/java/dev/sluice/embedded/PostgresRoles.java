package dev.sluice.embedded;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The roles of the embedded PostgreSQL and what each may do, applied at every start (each statement is idempotent,
 * and the passwords are set again from the credentials file):
 * <ul>
 * <li>{@value PostgresServer#APP_USER}: owns the demo databases and their tables; the data generator and tests
 * write as it. No REPLICATION (earlier versions gave it; taken back here).</li>
 * <li>{@value PostgresServer#CDC_USER}: LOGIN REPLICATION, may connect to {@code shop} only, SELECT on its tables
 * (also those its owner creates later) and INSERT into the signalling table (incremental snapshot signals and
 * Debezium's watermarks). The publication is created here by the owner, so Debezium needs neither ownership nor
 * superuser ({@code publication.autocreate.mode=disabled}).</li>
 * <li>{@value PostgresServer#READER_USER}: LOGIN, may connect to {@code warehouse} only, SELECT on its tables.</li>
 * <li>{@value PostgresServer#PUBLISHER_USER}: LOGIN NOREPLICATION, streams-app's login for datasets of kind cdc
 * ({@code ALTER PUBLICATION .. ADD TABLE}, {@code GRANT SELECT} to the CDC role). PostgreSQL lets only a role with
 * the ownership rights of both the publication and the table do that, so it inherits the owner's rights (member of
 * {@value PostgresServer#APP_USER} WITH INHERIT TRUE, SET FALSE: it cannot become the owner, what it creates is its
 * own). It may connect to {@code shop} only ({@link PgHba} rejects it elsewhere, as the owner's membership would
 * otherwise let it into {@code warehouse}). A login of its own so that it can be revoked or rotated without touching
 * the owner's, and its sessions are told apart.</li>
 * <li>{@value PostgresServer#ICEBERG_USER}: LOGIN, owns {@value PostgresServer#ICEBERG_CATALOG_DB}, where Iceberg's
 * JDBC catalog keeps its tables (it creates them itself on first use); no right on the demo databases.</li>
 * </ul>
 * Other roles cannot connect to the demo databases or the catalog (CONNECT revoked from PUBLIC).
 */
final class PostgresRoles {

    private PostgresRoles() {
    }

    /** Creates or updates the roles as the superuser; {@code admin} is connected to database {@code postgres}. */
    static void applyRoles(Connection admin, PostgresCredentials credentials) throws SQLException {
        role(admin, credentials.owner, "LOGIN NOREPLICATION");
        role(admin, credentials.cdc, "LOGIN REPLICATION");
        role(admin, credentials.reader, "LOGIN NOREPLICATION");
        role(admin, credentials.iceberg, "LOGIN NOREPLICATION");
        role(admin, credentials.publisher, "LOGIN NOREPLICATION");
        try (Statement statement = admin.createStatement()) {
            // Idempotent: granting a membership that exists only updates its options.
            statement.execute("GRANT " + PostgresServer.APP_USER + " TO " + PostgresServer.PUBLISHER_USER
                    + " WITH INHERIT TRUE, SET FALSE");
        }
    }

    /**
     * Creates the Iceberg catalog database, owned by its role, when it is missing: checked at every start rather
     * than once, so that state directories initialised before the catalog existed get it too.
     */
    static void applyIcebergCatalog(Connection admin) throws SQLException {
        if (!exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", PostgresServer.ICEBERG_CATALOG_DB)) {
            try (Statement statement = admin.createStatement()) {
                statement.execute("CREATE DATABASE " + PostgresServer.ICEBERG_CATALOG_DB + " OWNER "
                        + PostgresServer.ICEBERG_USER);
            }
        }
    }

    /** Database-level rights, as the superuser, once the databases exist. */
    static void applyDatabaseRights(Connection admin) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            for (String database : new String[] {PostgresServer.SHOP_DB, PostgresServer.WAREHOUSE_DB,
                    PostgresServer.ICEBERG_CATALOG_DB}) {
                statement.execute("REVOKE ALL ON DATABASE " + database + " FROM PUBLIC");
            }
            statement.execute("GRANT CONNECT ON DATABASE " + PostgresServer.SHOP_DB + " TO "
                    + PostgresServer.CDC_USER);
            statement.execute("GRANT CONNECT ON DATABASE " + PostgresServer.WAREHOUSE_DB + " TO "
                    + PostgresServer.READER_USER);
        }
    }

    /** Table rights and the publication of {@code shop}, as its owner. */
    static void applyShop(Connection owner) throws SQLException {
        try (Statement statement = owner.createStatement()) {
            grantRead(statement, PostgresServer.CDC_USER);
            statement.execute("GRANT INSERT ON public.debezium_signal TO " + PostgresServer.CDC_USER);
            if (!exists(owner, "SELECT 1 FROM pg_publication WHERE pubname = ?", PostgresServer.SHOP_PUBLICATION)) {
                statement.execute("CREATE PUBLICATION " + PostgresServer.SHOP_PUBLICATION + " FOR TABLE "
                        + "public.customers, public.products, public.orders, public.order_items, "
                        + "public.debezium_signal");
            }
        }
    }

    /** Table rights of {@code warehouse}, as its owner. */
    static void applyWarehouse(Connection owner) throws SQLException {
        try (Statement statement = owner.createStatement()) {
            grantRead(statement, PostgresServer.READER_USER);
        }
    }

    private static void grantRead(Statement statement, String role) throws SQLException {
        statement.execute("GRANT USAGE ON SCHEMA public TO " + role);
        statement.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role);
        statement.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO " + role);
    }

    private static void role(Connection admin, PostgresLogin login, String attributes) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            String verb = exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", login.user()) ? "ALTER" : "CREATE";
            statement.execute(verb + " ROLE " + login.user() + " " + attributes + " PASSWORD "
                    + literal(login.password()));
        }
    }

    static boolean exists(Connection connection, String query, String parameter) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(query)) {
            select.setString(1, parameter);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** A SQL string literal (role passwords cannot be bound parameters). */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
