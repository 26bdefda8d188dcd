package dev.sluice.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL trusts nobody: the superuser needs its generated password, each component role can do
 * only its job (the Iceberg catalog's role owns its database and reaches no other), a replication slot's WAL is bounded, and a state directory of an earlier version (which trusted the
 * superuser) is secured at its next start.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class PostgresSecurityIT {

    /** The pg_hba.conf that state directories of earlier versions carry. */
    private static final String LEGACY_PG_HBA = """
            host    all          postgres  127.0.0.1/32  trust
            host    replication  postgres  127.0.0.1/32  trust
            host    all          all       127.0.0.1/32  scram-sha-256
            host    replication  all       127.0.0.1/32  scram-sha-256
            """;

    @Test
    void theSuperuserWithoutItsPasswordIsRefusedOverTcp(PostgresServer postgres, EmbeddedPlatform platform)
            throws Exception {
        // Without a password the driver gives up as soon as the server asks for one: the server trusts nobody.
        SQLException asked = assertThrows(SQLException.class, () -> DriverManager
                .getConnection(postgres.jdbcUrl("postgres"), PostgresServer.SUPERUSER, "").close());
        assertTrue(asked.getMessage().contains("requested SCRAM-based authentication"), asked.getMessage());
        SQLException refused = assertThrows(SQLException.class, () -> DriverManager
                .getConnection(postgres.jdbcUrl(PostgresServer.SHOP_DB), PostgresServer.SUPERUSER, "postgres")
                .close());
        assertEquals("28P01", refused.getSQLState(), "password authentication failed: " + refused.getMessage());

        Path superuserFile = platform.stateDir().resolve("postgres/superuser.properties");
        Properties superuser = Secrets.read(superuserFile);
        try (Connection admin = DriverManager.getConnection(postgres.jdbcUrl("postgres"), PostgresServer.SUPERUSER,
                superuser.getProperty("password"))) {
            assertTrue(admin.isValid(5), "the generated password opens it");
        }
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(superuserFile)));
        assertFalse(Files.readString(platform.stateDir().resolve("postgres/data/pg_hba.conf"))
                .contains("trust"), "no trust left in pg_hba.conf");
    }

    @Test
    void theReaderRoleReadsTheWarehouseAndCannotWriteOrReachTheShop(PostgresServer postgres) throws Exception {
        try (Connection reader = postgres.connect(PostgresServer.WAREHOUSE_DB, postgres.readerLogin());
                Statement statement = reader.createStatement()) {
            assertTrue(count(statement, "SELECT count(*) FROM exchange_rates") > 0);
            SQLException denied = assertThrows(SQLException.class, () -> statement.executeUpdate(
                    "INSERT INTO exchange_rates (currency, rate_to_eur) VALUES ('XXX', 1)"));
            assertEquals("42501", denied.getSQLState(), denied.getMessage());
            assertEquals("42501", assertThrows(SQLException.class, () -> statement.execute(
                    "CREATE TABLE sneaky (id INT)")).getSQLState());
            assertEquals("42501", assertThrows(SQLException.class, () -> statement.executeUpdate(
                    "DELETE FROM product_catalog")).getSQLState());
        }
        assertThrows(SQLException.class, () -> postgres.connect(PostgresServer.SHOP_DB, postgres.readerLogin())
                .close());
    }

    @Test
    void theIcebergRoleOwnsItsCatalogDatabaseAndReachesNoOther(PostgresServer postgres) throws Exception {
        try (Connection iceberg = postgres.connect(PostgresServer.ICEBERG_CATALOG_DB, postgres.icebergLogin());
                Statement statement = iceberg.createStatement()) {
            // Iceberg's JDBC catalog creates its own tables on first use.
            statement.execute("CREATE TABLE IF NOT EXISTS catalog_probe (id INT)");
            statement.execute("DROP TABLE catalog_probe");
            assertEquals(0, count(statement, "SELECT count(*) FROM pg_roles WHERE rolname = current_user "
                    + "AND (rolreplication OR rolsuper OR rolcreaterole OR rolcreatedb)"));
        }
        assertThrows(SQLException.class, () -> postgres.connect(PostgresServer.SHOP_DB, postgres.icebergLogin())
                .close());
        assertThrows(SQLException.class, () -> postgres.connect(PostgresServer.WAREHOUSE_DB, postgres.icebergLogin())
                .close());
        assertThrows(SQLException.class, () -> postgres.connect(PostgresServer.ICEBERG_CATALOG_DB,
                postgres.readerLogin()).close());
    }

    @Test
    void theCdcRoleReplicatesAndReadsTheShopButCannotChangeIt(PostgresServer postgres) throws Exception {
        try (Connection cdc = postgres.connect(PostgresServer.SHOP_DB, postgres.cdcLogin());
                Statement statement = cdc.createStatement()) {
            assertTrue(count(statement, "SELECT count(*) FROM customers") > 0);
            assertEquals(1, count(statement, "SELECT count(*) FROM pg_roles WHERE rolname = current_user "
                    + "AND rolreplication AND NOT rolsuper"));
            assertEquals(5, count(statement, "SELECT count(*) FROM pg_publication_tables WHERE pubname = '"
                    + PostgresServer.SHOP_PUBLICATION + "'"), "the publication exists before any connector");
            assertEquals("42501", assertThrows(SQLException.class, () -> statement.executeUpdate(
                    "UPDATE customers SET full_name = 'x'")).getSQLState());
            // The slot metric of streams-app reads these as this role.
            assertEquals(0, count(statement, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'none' "
                    + "AND pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) IS NOT NULL"));
        }
        assertThrows(SQLException.class, () -> postgres.connect(PostgresServer.WAREHOUSE_DB, postgres.cdcLogin())
                .close());
        try (Connection owner = postgres.connect(PostgresServer.SHOP_DB); Statement statement = owner.createStatement()) {
            assertEquals(0, count(statement, "SELECT count(*) FROM pg_roles WHERE rolname = current_user "
                    + "AND (rolreplication OR rolsuper)"), "the owner role has no replication and is no superuser");
        }
    }

    @Test
    void thePublisherRoleAddsTheOwnersTablesToAPublicationAndReachesNothingElse(PostgresServer postgres)
            throws Exception {
        try (Connection owner = postgres.connect(PostgresServer.SHOP_DB); Statement statement = owner.createStatement()) {
            statement.execute("CREATE TABLE publisher_probe (id INT PRIMARY KEY)");
            statement.execute("CREATE PUBLICATION publisher_probe_pub FOR TABLE customers");
        }
        try (Connection publisher = postgres.connect(PostgresServer.SHOP_DB, postgres.publisherLogin());
                Statement statement = publisher.createStatement()) {
            assertEquals(0, count(statement, "SELECT count(*) FROM pg_roles WHERE rolname = current_user "
                    + "AND (rolreplication OR rolsuper OR rolcreaterole OR rolcreatedb)"));
            statement.execute("ALTER PUBLICATION publisher_probe_pub ADD TABLE public.publisher_probe");
            statement.execute("GRANT SELECT ON public.publisher_probe TO " + PostgresServer.CDC_USER);
            assertEquals(2, count(statement, "SELECT count(*) FROM pg_publication_tables "
                    + "WHERE pubname = 'publisher_probe_pub'"));
            // SET FALSE: it may use the owner's rights but never act as the owner.
            assertEquals("42501", assertThrows(SQLException.class, () -> statement.execute(
                    "SET ROLE " + PostgresServer.APP_USER)).getSQLState());
            statement.execute("ALTER PUBLICATION publisher_probe_pub DROP TABLE public.publisher_probe");
        }
        try (Connection owner = postgres.connect(PostgresServer.SHOP_DB); Statement statement = owner.createStatement()) {
            statement.execute("DROP PUBLICATION publisher_probe_pub");
            statement.execute("DROP TABLE publisher_probe");
        }
        assertThrows(SQLException.class, () -> postgres.connect(PostgresServer.WAREHOUSE_DB,
                postgres.publisherLogin()).close());
        assertThrows(SQLException.class, () -> postgres.connect(PostgresServer.ICEBERG_CATALOG_DB,
                postgres.publisherLogin()).close());
    }

    @Test
    void aReplicationSlotMayHoldBackOnlyABoundedAmountOfWal(PostgresServer postgres) throws Exception {
        try (Connection owner = postgres.connect(PostgresServer.SHOP_DB); Statement statement = owner.createStatement();
                ResultSet setting = statement.executeQuery("SHOW max_slot_wal_keep_size")) {
            setting.next();
            assertEquals(PostgresServer.DEFAULT_MAX_SLOT_WAL_KEEP_SIZE, setting.getString(1));
        }
    }

    @Test
    void aStateDirectoryThatTrustedTheSuperuserIsSecuredAtItsNextStart(@TempDir Path dir) throws Exception {
        String ownerPassword;
        try (PostgresServer first = PostgresServer.start(dir, 0)) {
            ownerPassword = first.password();
        }
        // Make it look like a directory of an earlier version: superuser trusted, no superuser or role passwords.
        Files.writeString(dir.resolve("data/pg_hba.conf"), LEGACY_PG_HBA, StandardCharsets.UTF_8);
        Files.delete(dir.resolve("superuser.properties"));
        Properties legacy = new Properties();
        legacy.setProperty("user", PostgresServer.APP_USER);
        legacy.setProperty("password", ownerPassword);
        Secrets.writePrivate(dir.resolve("credentials.properties"), legacy, "as written by earlier versions");

        try (PostgresServer migrated = PostgresServer.start(dir, 0)) {
            assertThrows(SQLException.class, () -> DriverManager.getConnection(migrated.jdbcUrl("postgres"),
                    PostgresServer.SUPERUSER, "").close());
            assertEquals(ownerPassword, migrated.password(), "the owner keeps its password");
            try (Connection owner = migrated.connect(PostgresServer.SHOP_DB);
                    Statement statement = owner.createStatement()) {
                assertTrue(count(statement, "SELECT count(*) FROM customers") > 0, "the data is still there");
            }
            try (Connection cdc = migrated.connect(PostgresServer.SHOP_DB, migrated.cdcLogin())) {
                assertTrue(cdc.isValid(5), "the new CDC role got its password");
            }
            assertNotEquals(ownerPassword, migrated.cdcLogin().password());
            assertTrue(Files.exists(dir.resolve("superuser.properties")));
            assertFalse(Files.readString(dir.resolve("data/pg_hba.conf")).contains("trust"));
        }
    }

    @Test
    void aSecuredDirectoryWithoutTheSuperuserPasswordFailsNamingTheFile(@TempDir Path dir) throws Exception {
        PostgresServer.start(dir, 0).close();
        Files.delete(dir.resolve("superuser.properties"));
        ComponentStartException e = assertThrows(ComponentStartException.class, () -> PostgresServer.start(dir, 0));
        assertEquals("postgres", e.component());
        assertTrue(e.getMessage().contains("superuser.properties"), e.getMessage());
    }

    private static int count(Statement statement, String query) throws SQLException {
        try (ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
