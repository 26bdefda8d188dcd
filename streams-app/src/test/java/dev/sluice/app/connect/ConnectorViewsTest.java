package dev.sluice.app.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.connect.template.ConnectorTemplates;

class ConnectorViewsTest {

    private static final String TRACE = """
            org.apache.kafka.connect.errors.ConnectException: An exception occurred in the change event producer.
            \tat io.debezium.pipeline.ErrorHandler.setProducerThrowable(ErrorHandler.java:67)
            \tat java.base/java.lang.Thread.run(Thread.java:840)
            Caused by: org.postgresql.util.PSQLException: ERROR: relation "x" does not exist
            \tat org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2733)
            \t... 12 more
            Caused by: java.io.IOException: login as sluice with hunter22 refused
            \tat org.postgresql.Driver.connect(Driver.java:1)
            """;

    private final SecretMasker masker = new SecretMasker(new ConnectorTemplates());
    private final ConnectorViews views = new ConnectorViews(masker,
            new ConfigSecrets(masker, new ConfigReferenceResolver(new ConnectConfiguration())));

    @Test
    void summarisesATraceAsExceptionAndRootCauseWithoutFramesOrSecrets() {
        String summary = views.summary(TRACE, Set.of("hunter22"));
        assertEquals("org.apache.kafka.connect.errors.ConnectException: An exception occurred in the change event "
                + "producer. | root cause: java.io.IOException: login as sluice with ******** refused", summary);
        assertFalse(summary.contains("\tat"));
        assertNull(views.summary(null, Set.of()));
    }

    @Test
    void buildsTheViewFromConnectsStatusWithTheConfigMasked() throws Exception {
        var status = new ObjectMapper().readTree("""
                {"name": "shop-cdc", "type": "source",
                 "connector": {"state": "RUNNING", "worker_id": "127.0.0.1:8083"},
                 "tasks": [{"id": 0, "state": "FAILED", "worker_id": "127.0.0.1:8083", "trace": "%s"}]}
                """.formatted(TRACE.replace("\t", "\\t").replace("\n", "\\n").replace("\"", "\\\"")));
        ConnectorView view = views.view("shop-cdc", status, Map.of("connector.class", "x.Y",
                "database.password", "hunter22"), null, true);
        assertEquals("source", view.type());
        assertEquals("RUNNING", view.state());
        assertEquals("FAILED", view.tasks().get(0).state());
        assertEquals("x.Y", view.connectorClass());
        assertEquals(SecretMasker.MASK, view.config().get("database.password"));
        assertFalse(view.tasks().get(0).error().contains("hunter22"), view.tasks().get(0).error());

        ConnectorView listed = views.view("shop-cdc", status, Map.of("connector.class", "x.Y"), null, false);
        assertNull(listed.config(), "the list shows no configuration");
    }

    @Test
    void aConnectorWithoutStatusYetIsUnassigned() {
        ConnectorView view = views.view("new", null, Map.of("connector.class", "x.Y"), "sink", true);
        assertEquals("UNASSIGNED", view.state());
        assertEquals("sink", view.type());
    }
}
