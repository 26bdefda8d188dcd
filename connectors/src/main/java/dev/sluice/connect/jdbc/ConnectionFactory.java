package dev.sluice.connect.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.types.Password;

/**
 * Opens connections to the configured database with whichever JDBC driver on the worker's class path accepts
 * the URL. Error messages it produces never contain the password or the URL's query part.
 */
public final class ConnectionFactory {

    // //user:password@host, and Oracle's thin:user/password@host
    private static final Pattern AUTHORITY_USER_INFO = Pattern.compile("//[^/@]*@");
    private static final Pattern SLASHED_USER_INFO = Pattern.compile(":[^:@/]*/[^@]*@");

    private final String url;
    private final String user;
    private final Password password;

    public ConnectionFactory(String url, String user, Password password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    public static ConnectionFactory of(JdbcSourceConnectorConfig config) {
        return new ConnectionFactory(config.connectionUrl(), config.connectionUser(), config.connectionPassword());
    }

    /** The URL without credentials or parameters, fit for logs and messages. */
    public String redactedUrl() {
        return redact(url);
    }

    /**
     * Opens a connection.
     *
     * @throws SQLException with SQLState 08001 when no driver accepts the URL, else the driver's error
     */
    public Connection open() throws SQLException {
        Driver driver = findDriver();
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null && password.value() != null) {
            props.setProperty("password", password.value());
        }
        Connection connection;
        try {
            connection = driver.connect(url, props);
        } catch (SQLException e) {
            throw sanitize(e);
        }
        if (connection == null) {
            throw noDriver();
        }
        return connection;
    }

    /** Removes the URL and the password from a driver's message, in case the driver echoes them. */
    public String sanitize(String message) {
        if (message == null) {
            return "(no message)";
        }
        String cleaned = message.replace(url, redactedUrl());
        if (password != null && password.value() != null && !password.value().isEmpty()) {
            cleaned = cleaned.replace(password.value(), Password.HIDDEN);
        }
        return cleaned;
    }

    /**
     * A copy of a driver's exception whose message has the URL and password removed, keeping SQLState, error
     * code and stack trace; the original (which may hold them) is not attached.
     */
    public SQLException sanitize(SQLException e) {
        SQLException safe = new SQLException(sanitize(e.getMessage()), e.getSQLState(), e.getErrorCode());
        safe.setStackTrace(e.getStackTrace());
        return safe;
    }

    /** Keeps the driver, host, port and database of a JDBC URL; drops user info and parameters. */
    public static String redact(String url) {
        if (url == null) {
            return "(no url)";
        }
        String base = url;
        int cut = indexOfAny(base, '?', ';');
        if (cut >= 0) {
            base = base.substring(0, cut) + "?…";
        }
        return base.contains("//")
                ? AUTHORITY_USER_INFO.matcher(base).replaceAll("//***@")
                : SLASHED_USER_INFO.matcher(base).replaceAll(":***@");
    }

    private Driver findDriver() throws SQLException {
        try {
            return DriverManager.getDriver(url);
        } catch (SQLException notRegistered) {
            // Under Connect's plugin isolation DriverManager may not see drivers the plugin's loader sees.
            for (ClassLoader loader : new ClassLoader[] {
                    ConnectionFactory.class.getClassLoader(), Thread.currentThread().getContextClassLoader()}) {
                if (loader == null) {
                    continue;
                }
                for (Driver driver : ServiceLoader.load(Driver.class, loader)) {
                    if (driver.acceptsURL(url)) {
                        return driver;
                    }
                }
            }
            throw noDriver();
        }
    }

    private SQLException noDriver() {
        return new SQLException("no JDBC driver on the worker's class path accepts the URL " + redactedUrl()
                + "; add the database's driver jar to the worker (the plugin bundles none)", "08001");
    }

    private static int indexOfAny(String s, char a, char b) {
        int ia = s.indexOf(a);
        int ib = s.indexOf(b);
        if (ia < 0) {
            return ib;
        }
        return ib < 0 ? ia : Math.min(ia, ib);
    }
}
