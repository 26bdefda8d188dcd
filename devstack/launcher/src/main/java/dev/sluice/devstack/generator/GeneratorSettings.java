package dev.sluice.devstack.generator;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;

/**
 * The settings of the stand-alone generator ({@link GeneratorMain}), read from environment variables. Every
 * variable is listed in {@link #VARIABLES} with its default ({@code null}: required) and meaning; docs/deploy.md
 * documents the same list, and the deploy checks (deploy-checks/) compare docker-compose.yml against it.
 *
 * @param jdbcUrl JDBC URL of the shop database
 * @param jdbcUser database role that changes the shop's rows
 * @param jdbcPassword its password: never logged, left out of {@link #toString()}
 * @param bootstrapServers Kafka bootstrap servers
 * @param registryUrl the schema registry's Apicurio v2 API, where the user event schema is registered
 * @param topic the user events topic
 * @param topicPartitions partitions of the topic when the generator has to create it
 * @param shopOpsPerSecond row changes per second in the shop database
 * @param eventsPerSecond user events per second
 * @param badRatio share (0..1) of records that are deliberately bad
 * @param heartbeatFile file renewed while the generator makes progress (for a container health check), or empty
 */
public record GeneratorSettings(String jdbcUrl, String jdbcUser, String jdbcPassword, String bootstrapServers,
        String registryUrl, String topic, int topicPartitions, double shopOpsPerSecond, double eventsPerSecond,
        double badRatio, String heartbeatFile) {

    public static final String JDBC_URL = "SLUICE_GEN_JDBC_URL";
    public static final String JDBC_USER = "SLUICE_GEN_JDBC_USER";
    public static final String JDBC_PASSWORD = "SLUICE_GEN_JDBC_PASSWORD";
    public static final String BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String REGISTRY_URL = "SLUICE_REGISTRY_URL";
    public static final String TOPIC = "SLUICE_GEN_TOPIC";
    public static final String TOPIC_PARTITIONS = "SLUICE_GEN_TOPIC_PARTITIONS";
    public static final String SHOP_OPS_PER_SECOND = "SLUICE_GEN_SHOP_OPS_PER_SECOND";
    public static final String EVENTS_PER_SECOND = "SLUICE_GEN_EVENTS_PER_SECOND";
    public static final String BAD_RATIO = "SLUICE_GEN_BAD_RATIO";
    public static final String HEARTBEAT_FILE = "SLUICE_GEN_HEARTBEAT_FILE";

    /**
     * An environment variable the generator reads.
     *
     * @param name the variable, e.g. {@code SLUICE_GEN_TOPIC}
     * @param defaultValue its value when it is unset or blank; {@code null} when the generator requires it
     * @param doc its meaning, as the message of a missing variable says it
     */
    public record Variable(String name, String defaultValue, String doc) {

        /** Whether the generator refuses to start without it. */
        public boolean required() {
            return defaultValue == null;
        }
    }

    /** Every variable the generator reads. */
    public static final List<Variable> VARIABLES = List.of(
            new Variable(JDBC_URL, null, "JDBC URL of the shop database (jdbc:postgresql://...)"),
            new Variable(JDBC_USER, null, "database role that changes the shop's rows"),
            new Variable(JDBC_PASSWORD, null, "its password (never logged)"),
            new Variable(BOOTSTRAP_SERVERS, null, "Kafka bootstrap servers"),
            new Variable(REGISTRY_URL, null, "schema registry, Apicurio v2 API (.../apis/registry/v2)"),
            new Variable(TOPIC, "bronze.events.user_events", "topic of the user events"),
            new Variable(TOPIC_PARTITIONS, "3", "partitions of the topic if the generator creates it"),
            new Variable(SHOP_OPS_PER_SECOND, "5", "inserts/updates/deletes in the shop database per second"),
            new Variable(EVENTS_PER_SECOND, "20", "user events per second"),
            new Variable(BAD_RATIO, "0.02", "share of records that are deliberately bad (0..1)"),
            new Variable(HEARTBEAT_FILE, "", "file renewed every 10 s while both streams make progress, "
                    + "for a health check (empty: none)"));

    /**
     * Reads the settings from {@code env} (the process environment in {@link GeneratorMain}).
     *
     * @throws IllegalArgumentException naming the first variable that is missing or malformed (never its value
     *     when it is the password)
     */
    public static GeneratorSettings fromEnvironment(Map<String, String> env) {
        String jdbcUrl = text(env, JDBC_URL);
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            // The value is not echoed: a JDBC URL may carry a password parameter.
            throw new IllegalArgumentException(JDBC_URL + " must be a PostgreSQL JDBC URL (jdbc:postgresql://host:"
                    + "port/shop)");
        }
        String user = text(env, JDBC_USER);
        String password = text(env, JDBC_PASSWORD);
        String bootstrapServers = text(env, BOOTSTRAP_SERVERS);
        for (String server : bootstrapServers.split(",", -1)) {
            if (!server.strip().matches("[^:\\s]+:\\d{1,5}")) {
                throw new IllegalArgumentException(BOOTSTRAP_SERVERS + " must be host:port[,host:port...], not '"
                        + bootstrapServers + "'");
            }
        }
        String registryUrl = text(env, REGISTRY_URL);
        try {
            URI uri = new URI(registryUrl);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(registryUrl, "not an http(s) URL with a host");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(REGISTRY_URL + " must be an http(s) URL, not '" + registryUrl + "'");
        }
        String topic = text(env, TOPIC);
        if (!topic.matches("[A-Za-z0-9._-]{1,249}")) {
            throw new IllegalArgumentException(TOPIC + " is not a legal topic name: '" + topic + "'");
        }
        double partitions = number(env, TOPIC_PARTITIONS);
        if (partitions < 1 || partitions != Math.rint(partitions) || partitions > 10_000) {
            throw new IllegalArgumentException(TOPIC_PARTITIONS + " must be a whole number from 1 to 10000, not '"
                    + value(env, TOPIC_PARTITIONS) + "'");
        }
        double badRatio = number(env, BAD_RATIO);
        if (badRatio > 1) {
            throw new IllegalArgumentException(BAD_RATIO + " must be between 0 and 1, not " + badRatio);
        }
        return new GeneratorSettings(jdbcUrl, user, password, bootstrapServers, registryUrl, topic, (int) partitions,
                number(env, SHOP_OPS_PER_SECOND), number(env, EVENTS_PER_SECOND), badRatio,
                value(env, HEARTBEAT_FILE));
    }

    /** The shop database's connections with these credentials. */
    public ShopDatabase shopDatabase() {
        return ShopDatabase.jdbc(jdbcUrl, jdbcUser, jdbcPassword);
    }

    @Override
    public String toString() {
        // Without the URL's parameters, which may carry a password.
        String url = jdbcUrl.contains("?") ? jdbcUrl.substring(0, jdbcUrl.indexOf('?')) + "?..." : jdbcUrl;
        return "GeneratorSettings[jdbcUrl=" + url + ", jdbcUser=" + jdbcUser + ", bootstrapServers="
                + bootstrapServers + ", registryUrl=" + registryUrl + ", topic=" + topic + ", topicPartitions="
                + topicPartitions + ", shopOpsPerSecond=" + shopOpsPerSecond + ", eventsPerSecond=" + eventsPerSecond
                + ", badRatio=" + badRatio + ", heartbeatFile=" + heartbeatFile + "]";
    }

    private static String value(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? variable(name).defaultValue() : value.strip();
    }

    private static Variable variable(String name) {
        return VARIABLES.stream().filter(variable -> variable.name().equals(name)).findFirst().orElseThrow();
    }

    private static String text(Map<String, String> env, String name) {
        String value = value(env, name);
        if (value == null) {
            throw new IllegalArgumentException(name + " is not set: " + variable(name).doc());
        }
        return value;
    }

    private static double number(Map<String, String> env, String name) {
        String value = text(env, name);
        try {
            double number = Double.parseDouble(value);
            if (number < 0 || !Double.isFinite(number)) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a non-negative number, not '" + value + "'");
        }
    }
}
