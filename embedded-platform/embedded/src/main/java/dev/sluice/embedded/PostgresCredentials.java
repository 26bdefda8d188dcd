package dev.sluice.embedded;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * The generated passwords of the embedded PostgreSQL, in owner-only files of its state directory:
 * {@value #APP_FILE} holds the application roles (table owner, CDC, read-only, Iceberg catalog, publisher),
 * {@value #SUPERUSER_FILE} the
 * superuser, which only the server's own setup uses. The superuser's password is kept only once it is set in the
 * database ({@link #keepSuperuser}), so a crash in between cannot leave a file that does not match.
 */
final class PostgresCredentials {

    static final String APP_FILE = "credentials.properties";
    static final String SUPERUSER_FILE = "superuser.properties";

    final PostgresLogin owner;
    final PostgresLogin cdc;
    final PostgresLogin reader;
    final PostgresLogin iceberg;
    final PostgresLogin publisher;
    final PostgresLogin superuser;
    final boolean superuserKept;

    private PostgresCredentials(PostgresLogin owner, PostgresLogin cdc, PostgresLogin reader, PostgresLogin iceberg,
            PostgresLogin publisher, PostgresLogin superuser, boolean superuserKept) {
        this.owner = owner;
        this.cdc = cdc;
        this.reader = reader;
        this.iceberg = iceberg;
        this.publisher = publisher;
        this.superuser = superuser;
        this.superuserKept = superuserKept;
    }

    /** Reads the passwords of {@code dir}, generating (and keeping) those of application roles that are new. */
    static PostgresCredentials load(Path dir) throws IOException {
        Path appFile = dir.resolve(APP_FILE);
        Properties app = Secrets.read(appFile);
        // "user"/"password" are the owner's keys since the first version: earlier state directories keep working.
        boolean changed = ensure(app, "user", "password", PostgresServer.APP_USER);
        changed |= ensure(app, "cdc.user", "cdc.password", PostgresServer.CDC_USER);
        changed |= ensure(app, "reader.user", "reader.password", PostgresServer.READER_USER);
        changed |= ensure(app, "iceberg.user", "iceberg.password", PostgresServer.ICEBERG_USER);
        changed |= ensure(app, "publisher.user", "publisher.password", PostgresServer.PUBLISHER_USER);
        if (changed) {
            Secrets.writePrivate(appFile, app, "PostgreSQL application roles of the Sluice embedded platform");
        }
        Optional<String> kept = Optional.ofNullable(Secrets.read(dir.resolve(SUPERUSER_FILE)).getProperty("password"));
        return new PostgresCredentials(login(app, "user", "password"), login(app, "cdc.user", "cdc.password"),
                login(app, "reader.user", "reader.password"), login(app, "iceberg.user", "iceberg.password"),
                login(app, "publisher.user", "publisher.password"),
                new PostgresLogin(PostgresServer.SUPERUSER, kept.orElseGet(Secrets::random)), kept.isPresent());
    }

    /** Keeps the superuser's password, once it is set in the database. */
    void keepSuperuser(Path dir) throws IOException {
        Properties props = new Properties();
        props.setProperty("user", superuser.user());
        props.setProperty("password", superuser.password());
        Secrets.writePrivate(dir.resolve(SUPERUSER_FILE), props,
                "PostgreSQL superuser of the Sluice embedded platform: for setup only, no component uses it");
    }

    private static boolean ensure(Properties props, String userKey, String passwordKey, String user) {
        if (props.containsKey(passwordKey)) {
            return false;
        }
        props.setProperty(userKey, user);
        props.setProperty(passwordKey, Secrets.random());
        return true;
    }

    private static PostgresLogin login(Properties props, String userKey, String passwordKey) {
        return new PostgresLogin(props.getProperty(userKey), props.getProperty(passwordKey));
    }
}
