package dev.sluice.connect.template;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The connector templates Sluice ships, read from {@code dev/sluice/connect/templates/<name>.json} on the class
 * path. Used by the devstack to register the demo connectors and by streams-app's connector REST API.
 */
public final class ConnectorTemplates {

    /** Debezium CDC of PostgreSQL into bronze.pg.* topics. */
    public static final String POSTGRES_CDC = "postgres-cdc";
    /** Sluice's JDBC source connector polling tables of any JDBC database into bronze.* topics. */
    public static final String JDBC_SOURCE = "jdbc-source";
    /** Sluice's S3 Parquet sink writing topics into the lake, bad records to the Connect dead letter queue. */
    public static final String S3_PARQUET_SINK = "s3-parquet-sink";
    /** Apache Iceberg's sink writing topics into Iceberg tables of a JDBC catalog on S3 (lake format iceberg). */
    public static final String ICEBERG_SINK = "iceberg-sink";

    private static final List<String> NAMES = List.of(POSTGRES_CDC, JDBC_SOURCE, S3_PARQUET_SINK, ICEBERG_SINK);
    private static final String LOCATION = "/dev/sluice/connect/templates/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, ConnectorTemplate> templates = new LinkedHashMap<>();

    public ConnectorTemplates() {
        NAMES.forEach(name -> templates.put(name, load(name)));
    }

    public List<ConnectorTemplate> all() {
        return List.copyOf(templates.values());
    }

    public Optional<ConnectorTemplate> find(String name) {
        return Optional.ofNullable(templates.get(name));
    }

    /** The template called {@code name}; fails naming the known templates when there is none. */
    public ConnectorTemplate get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(
                "no connector template '" + name + "'; known: " + templates.keySet()));
    }

    private static ConnectorTemplate load(String name) {
        try (InputStream in = ConnectorTemplates.class.getResourceAsStream(LOCATION + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("connector template " + name + " is missing from the class path");
            }
            JsonNode root = JSON.readTree(in);
            Map<String, ConnectorTemplate.Parameter> parameters = new LinkedHashMap<>();
            root.path("parameters").fields().forEachRemaining(e -> parameters.put(e.getKey(),
                    new ConnectorTemplate.Parameter(e.getValue().path("doc").asText(),
                            e.getValue().hasNonNull("default") ? e.getValue().get("default").asText() : null,
                            e.getValue().path("secret").asBoolean(false))));
            Map<String, String> config = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.path("config").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                config.put(e.getKey(), e.getValue().asText());
            }
            ConnectorTemplate template = new ConnectorTemplate(root.path("template").asText(name),
                    root.path("description").asText(), parameters, config);
            if (!template.undeclaredPlaceholders().isEmpty()) {
                throw new IllegalStateException("connector template " + name + " uses undeclared parameters "
                        + template.undeclaredPlaceholders());
            }
            return template;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read connector template " + name, e);
        }
    }
}
