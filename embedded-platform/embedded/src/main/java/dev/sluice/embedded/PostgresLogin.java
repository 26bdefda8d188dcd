package dev.sluice.embedded;

/**
 * A PostgreSQL role and its password. {@link #toString()} leaves the password out, so a login can be logged.
 *
 * @param user the role name
 * @param password its password; never log it
 */
public record PostgresLogin(String user, String password) {

    @Override
    public String toString() {
        return "PostgresLogin[user=" + user + "]";
    }
}
