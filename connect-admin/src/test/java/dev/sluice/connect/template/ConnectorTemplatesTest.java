package dev.sluice.connect.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ConnectorTemplatesTest {

    private final ConnectorTemplate cdc = new ConnectorTemplates().get(ConnectorTemplates.POSTGRES_CDC);

    @Test
    void rendersDefaultsAndLeavesConfigProviderReferencesForTheWorker() {
        Map<String, String> config = cdc.render(Map.of(
                "database.password", "${file:/state/secrets.properties:postgres.password}",
                "registry.url", "http://127.0.0.1:8081/apis/registry/v2",
                "database.port", "5433"));
        assertEquals("5433", config.get("database.port"));
        assertEquals("127.0.0.1", config.get("database.hostname"));
        assertEquals("${file:/state/secrets.properties:postgres.password}", config.get("database.password"));
        assertEquals("http://127.0.0.1:8081/apis/registry/v2",
                config.get("transforms.convert.converter.apicurio.registry.url"));
        assertEquals("dead-letter", config.get("transforms.convert.on.failure"), "the templates dead-letter by default");
        assertFalse(config.values().stream().anyMatch(v -> v.contains("{{")), "no placeholder left: " + config);
    }

    @Test
    void namesEveryMissingAndUnknownParameter() {
        TemplateException e = assertThrows(TemplateException.class,
                () -> cdc.render(Map.of("database.pasword", "x")));
        assertTrue(e.problems().stream().anyMatch(p -> p.contains("unknown parameter 'database.pasword'")));
        assertTrue(e.problems().stream().anyMatch(p -> p.contains("missing required parameter 'database.password'")));
        assertTrue(e.problems().stream().anyMatch(p -> p.contains("missing required parameter 'registry.url'")));
    }

    @Test
    void marksThePasswordAsSecret() {
        assertTrue(cdc.parameters().get("database.password").secret());
        assertFalse(cdc.parameters().get("database.hostname").secret());
    }

    @Test
    void optionalParametersLeftEmptyAreLeftOutSoTheConnectorDefaultApplies() {
        ConnectorTemplate jdbc = new ConnectorTemplates().get(ConnectorTemplates.JDBC_SOURCE);
        Map<String, String> config = jdbc.render(Map.of(
                "connection.url", "jdbc:postgresql://127.0.0.1:5432/warehouse",
                "tables", "exchange_rates",
                "registry.url", "http://127.0.0.1:8081/apis/registry/v2"));
        assertFalse(config.containsKey("query"), "empty optional parameter left out: " + config);
        assertFalse(config.containsKey("connection.password"));
        assertEquals("exchange_rates", config.get("tables"));
        assertEquals("timestamp+incrementing", config.get("mode"));

        Map<String, String> bulk = jdbc.render(Map.of(
                "connection.url", "jdbc:postgresql://127.0.0.1:5432/warehouse",
                "tables", "exchange_rates", "mode", "bulk", "incrementing.column.name", "",
                "timestamp.column.name", " ", "registry.url", "http://127.0.0.1:8081/apis/registry/v2"));
        assertFalse(bulk.containsKey("incrementing.column.name"), "explicitly emptied: " + bulk);
        assertFalse(bulk.containsKey("timestamp.column.name"));
    }

    @Test
    void aRequiredParameterGivenEmptyIsMissing() {
        TemplateException e = assertThrows(TemplateException.class, () -> cdc.render(Map.of(
                "database.password", "${env:PG_PASSWORD}", "registry.url", " ")));
        assertEquals(1, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).contains("missing required parameter 'registry.url'"));
    }

    @Test
    void secretConfigKeysAreTheSettingsCarryingSecretParameters() {
        ConnectorTemplates templates = new ConnectorTemplates();
        assertEquals(Set.of("database.password"), cdc.secretConfigKeys());
        assertEquals(Set.of("connection.password"), templates.get(ConnectorTemplates.JDBC_SOURCE).secretConfigKeys());
        assertEquals(Set.of("aws.access.key.id", "aws.secret.access.key", "kafka.admin.sasl.jaas.config"),
                templates.get(ConnectorTemplates.S3_PARQUET_SINK).secretConfigKeys());
    }

    @Test
    void sinkTemplateSendsBadRecordsToTheConnectDeadLetterQueueWithContext() {
        Map<String, String> config = renderedSink();
        assertEquals("all", config.get("errors.tolerance"));
        assertEquals("dlq.sink", config.get("errors.deadletterqueue.topic.name"));
        assertEquals("true", config.get("errors.deadletterqueue.context.headers.enable"));
        assertFalse(config.containsKey("aws.access.key.id"), "default credentials chain when not given");
        assertFalse(config.containsKey("s3.endpoint"));
    }

    @Test
    void sinkTemplateDecodesValuesInTheTaskSoThatARegistryOutageDeadLettersNothing() {
        Map<String, String> config = renderedSink();
        assertEquals("org.apache.kafka.connect.converters.ByteArrayConverter", config.get("value.converter"));
        assertEquals("http://127.0.0.1:8081/apis/registry/v2", config.get("value.registry.url"));
        assertFalse(config.keySet().stream().anyMatch(k -> k.startsWith("value.converter.")),
                "no converter-stage decoding: " + config.keySet());
    }

    @Test
    void everyTemplateDocumentsEveryParameter() {
        for (ConnectorTemplate template : new ConnectorTemplates().all()) {
            assertFalse(template.description().isBlank(), template.name());
            template.parameters().forEach((name, parameter) ->
                    assertFalse(parameter.doc().isBlank(), template.name() + " parameter " + name));
        }
    }

    @Test
    void unknownTemplateNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConnectorTemplates().get("nope"));
        assertTrue(e.getMessage().contains(ConnectorTemplates.POSTGRES_CDC));
    }

    /** The sink template with only its required parameters. */
    private static Map<String, String> renderedSink() {
        return new ConnectorTemplates().get(ConnectorTemplates.S3_PARQUET_SINK).render(Map.of(
                "topics", "silver.orders", "registry.url", "http://127.0.0.1:8081/apis/registry/v2"));
    }
}
