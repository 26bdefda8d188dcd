package dev.sluice.devstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.sluice.embedded.PostgresServer;

/**
 * Everything {@code ./sluice up} can be told, in one place: command-line options ({@code --kafka-port 19092} or
 * {@code --kafka-port=19092}) win over environment variables ({@code SLUICE_KAFKA_PORT}), which win over the
 * defaults below.
 *
 * @param home the repository root (where streams-app was built)
 * @param stateDir where every component keeps its data
 * @param fresh wipe the state directory before starting
 * @param statusInterval time between two status lines in the terminal
 */
public record DevstackSettings(Path home, Path stateDir, boolean fresh, int kafkaPort, int kafkaControllerPort,
        int connectPort, int postgresPort, int s3Port, int registryPort, int appPort, boolean generator,
        double shopOpsPerSecond, double eventsPerSecond, double badRatio, long lakeIdleFlushMs,
        LakeFormat lakeFormat, String postgresMaxSlotWalKeepSize, Duration statusInterval) {

    /**
     * An option of {@code ./sluice up}: {@code --name}, also {@code SLUICE_NAME} in the environment.
     *
     * @param name the option without its leading {@code --}
     * @param defaultValue its value when neither the command line nor the environment sets it
     * @param doc its meaning, as {@code --help} prints it
     */
    record Option(String name, String defaultValue, String doc) {

        /** The environment variable that sets this option, e.g. {@code SLUICE_KAFKA_PORT}. */
        String variable() {
            return "SLUICE_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
        }
    }

    /** Every option, in the order {@code --help} prints them. */
    static final List<Option> OPTIONS = List.of(
            new Option("state-dir", ".sluice/state", "directory of all state (topics, tables, lake, schemas)"),
            new Option("kafka-port", "9092", "Kafka broker (PLAINTEXT)"),
            new Option("kafka-controller-port", "9093", "Kafka KRaft controller"),
            new Option("connect-port", "8083", "Kafka Connect REST API"),
            new Option("postgres-port", "5432", "PostgreSQL"),
            new Option("postgres-max-slot-wal-keep-size", PostgresServer.DEFAULT_MAX_SLOT_WAL_KEEP_SIZE,
                    "WAL a replication slot may hold back (e.g. 512MB; -1 unbounded); a slot beyond it is invalidated"),
            new Option("s3-port", "9000", "S3 API"),
            new Option("registry-port", "8081", "schema registry"),
            new Option("app-port", "8080", "streams-app HTTP"),
            new Option("generator", "true", "run the data generator"),
            new Option("shop-ops-per-second", "5", "generated inserts/updates/deletes in PostgreSQL per second"),
            new Option("events-per-second", "20", "generated user_events per second"),
            new Option("bad-ratio", "0.02", "share of generated records that are deliberately bad (0..1)"),
            new Option("lake-idle-flush-ms", "60000",
                    "upload a lake file once its partition got no record for this long (iceberg: commit this often)"),
            new Option("lake-format", "parquet",
                    "parquet (Sluice's Parquet sink) or iceberg (Iceberg tables, Apache Iceberg's sink; docs/lake/iceberg.md)"),
            new Option("status-interval", "30", "seconds between two status lines in the terminal"));

    /**
     * The settings of a {@code ./sluice} command line: the home from {@code -Dsluice.home}, the environment's
     * {@code SLUICE_*} variables. A usage error is printed as one line and exits the JVM with 2.
     */
    static DevstackSettings ofCommandLine(String[] args) {
        try {
            Path home = Path.of(System.getProperty("sluice.home", ".")).toAbsolutePath().normalize();
            return parse(home, Arrays.asList(args), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("sluice: " + e.getMessage());
            System.exit(2);
            throw e;
        }
    }

    /**
     * Reads the settings.
     *
     * @throws IllegalArgumentException naming the option that is unknown or malformed
     */
    public static DevstackSettings parse(Path home, List<String> args, Map<String, String> env) {
        Map<String, String> values = new LinkedHashMap<>();
        // Holds every option from here on, so its keys are also the names an argument may use.
        OPTIONS.forEach(option -> values.put(option.name(), env.getOrDefault(option.variable(),
                option.defaultValue())));
        boolean fresh = false;
        List<String> rest = new ArrayList<>(args);
        while (!rest.isEmpty()) {
            String arg = rest.remove(0);
            if (arg.equals("--fresh")) {
                fresh = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (name.startsWith("no-") && values.containsKey(name.substring(3))) {
                name = name.substring(3);
                value = "false";
            } else if (!rest.isEmpty() && !rest.get(0).startsWith("--")) {
                value = rest.remove(0);
            } else {
                value = "true";
            }
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("unknown option '--" + name + "'; see ./sluice up --help");
            }
            values.put(name, value);
        }
        Path stateDir = home.resolve(values.get("state-dir")).toAbsolutePath().normalize();
        double badRatio = number(values, "bad-ratio");
        if (badRatio < 0 || badRatio > 1) {
            throw new IllegalArgumentException("--bad-ratio must be between 0 and 1, not " + badRatio);
        }
        return new DevstackSettings(home, stateDir, fresh, port(values, "kafka-port"),
                port(values, "kafka-controller-port"), port(values, "connect-port"), port(values, "postgres-port"),
                port(values, "s3-port"), port(values, "registry-port"), port(values, "app-port"),
                Boolean.parseBoolean(values.get("generator")), number(values, "shop-ops-per-second"),
                number(values, "events-per-second"), badRatio, (long) number(values, "lake-idle-flush-ms"),
                LakeFormat.parse(values.get("lake-format")), walSize(values, "postgres-max-slot-wal-keep-size"), statusInterval(values, "status-interval"));
    }

    /** The text of {@code ./sluice up --help}. */
    public static String help() {
        StringBuilder out = new StringBuilder("usage: ./sluice up [--fresh] [--option value ...]\n\n"
                + "  --fresh                     wipe the state directory first\n");
        OPTIONS.forEach(option -> out.append(String.format("  --%-25s %s (default %s; env %s)%n", option.name(),
                option.doc(), option.defaultValue(), option.variable())));
        return out.toString();
    }

    private static int port(Map<String, String> values, String name) {
        try {
            int port = Integer.parseInt(values.get(name));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a port number (0 picks a free one), not '"
                    + values.get(name) + "'");
        }
    }

    private static Duration statusInterval(Map<String, String> values, String name) {
        double seconds = number(values, name);
        if (seconds < 1) {
            throw new IllegalArgumentException("--" + name + " must be at least 1 (seconds), not " + values.get(name));
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    private static String walSize(Map<String, String> values, String name) {
        String value = values.get(name);
        if (!value.matches("-1|[0-9]+(kB|MB|GB|TB)?")) {
            throw new IllegalArgumentException("--" + name + " must be -1 or a size such as 1GB or 512MB, not '"
                    + value + "'");
        }
        return value;
    }

    private static double number(Map<String, String> values, String name) {
        try {
            double value = Double.parseDouble(values.get(name));
            if (value < 0 || Double.isNaN(value)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a non-negative number, not '"
                    + values.get(name) + "'");
        }
    }
}
