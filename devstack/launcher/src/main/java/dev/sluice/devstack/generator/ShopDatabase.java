package dev.sluice.devstack.generator;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Where the generator gets its connections to the shop database: the embedded server in {@code ./sluice up}, a
 * JDBC URL with credentials when it runs on its own. A new connection is asked for after every failure, so a
 * database restart costs some failed steps, not the generator.
 */
@FunctionalInterface
public interface ShopDatabase {

    /** Opens a new connection to the shop database. */
    Connection connect() throws SQLException;

    /** Connections through the PostgreSQL JDBC driver; the password stays in this lambda and is never logged. */
    static ShopDatabase jdbc(String url, String user, String password) {
        return () -> DriverManager.getConnection(url, user, password);
    }
}
