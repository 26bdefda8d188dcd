package dev.sluice.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The client authentication file ({@code pg_hba.conf}) of the embedded PostgreSQL. Its final form asks every role,
 * the superuser included, for its SCRAM password on TCP loopback and has no line for the unix socket (so nothing is
 * trusted there either). The bootstrap form additionally trusts the superuser on loopback: it is used only for the
 * start that sets the superuser's password (a freshly initialised directory - zonky's initdb trusts everyone - or a
 * state directory of an earlier version, which trusted the superuser), and is replaced by the final form as soon as
 * the password is set and kept. A state directory whose file differs from the final form (an earlier version's)
 * goes through the bootstrap form once more, which rewrites it.
 */
final class PgHba {

    static final String FINAL = """
            # Written by sluice-embedded. Only loopback TCP; every role, the superuser included, gives its password.
            # sluice_publisher has the owner's rights for the shop's publication: it is kept out of the rest.
            host    warehouse        sluice_publisher  127.0.0.1/32  reject
            host    iceberg_catalog  sluice_publisher  127.0.0.1/32  reject
            host    all          all       127.0.0.1/32  scram-sha-256
            host    replication  all       127.0.0.1/32  scram-sha-256
            """;

    private static final String BOOTSTRAP = """
            # Written by sluice-embedded for one start: the superuser's password is being set, then this file is
            # replaced by one without trust.
            host    all          postgres  127.0.0.1/32  trust
            host    warehouse        sluice_publisher  127.0.0.1/32  reject
            host    iceberg_catalog  sluice_publisher  127.0.0.1/32  reject
            host    all          all       127.0.0.1/32  scram-sha-256
            host    replication  all       127.0.0.1/32  scram-sha-256
            """;

    private PgHba() {
    }

    /**
     * Prepares {@code data/pg_hba.conf} before the server starts.
     *
     * @param superuserPasswordKnown whether the superuser's password was kept by an earlier start
     * @return whether this start must set the superuser's password (the bootstrap form was written)
     * @throws IllegalStateException when the directory already demands the superuser's password but it is not kept
     */
    static boolean beforeStart(Path data, boolean superuserPasswordKnown) {
        Path file = data.resolve("pg_hba.conf");
        try {
            boolean secured = Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(FINAL);
            if (secured && superuserPasswordKnown) {
                return false;
            }
            if (secured) {
                throw new IllegalStateException("the data directory " + data + " requires the superuser's password,"
                        + " but " + PostgresCredentials.SUPERUSER_FILE + " next to it is missing: restore that file"
                        + " or start with --fresh (which deletes the demo data)");
            }
            Files.writeString(file, BOOTSTRAP, StandardCharsets.UTF_8);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + file, e);
        }
    }

    /** Writes the final form; the caller reloads the configuration. */
    static void secure(Path data) throws IOException {
        Files.writeString(data.resolve("pg_hba.conf"), FINAL, StandardCharsets.UTF_8);
    }
}
