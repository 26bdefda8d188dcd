package dev.sluice.app.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.sluice.app.connect.ConnectorService;
import dev.sluice.app.connect.ConnectorView;

/**
 * The Kafka Connect rules: {@code connector-failed} (a connector or one of its tasks is FAILED) and
 * {@code connect-unreachable} (Kafka Connect did not answer, so no connector state is known).
 */
final class ConnectorRules {

    static final String FAILED = "connector-failed";
    static final String UNREACHABLE = "connect-unreachable";

    private ConnectorRules() {
    }

    static AlertRule failed(ConnectorService connectors, ExportedReadings readings) {
        return new NamedRule(FAILED, AlertRule.Scope.DEPLOYMENT) {
            @Override
            public List<Finding> check(Instant now) {
                List<ConnectorView> all = connectors.list();
                List<Finding> findings = new ArrayList<>();
                Map<Map<String, String>, Integer> rows = new LinkedHashMap<>();
                for (ConnectorView connector : all) {
                    boolean failed = "FAILED".equals(connector.state());
                    rows.put(Map.of("connector", connector.name(), "task", "connector"), failed ? 1 : 0);
                    if (failed) {
                        findings.add(new Finding(Map.of("connector", connector.name(), "task", "connector"),
                                "connector " + connector.name() + " is FAILED"));
                    }
                    for (ConnectorView.TaskView task : connector.tasks()) {
                        boolean taskFailed = "FAILED".equals(task.state());
                        Map<String, String> labels = Map.of("connector", connector.name(), "task",
                                String.valueOf(task.id()));
                        rows.put(labels, taskFailed ? 1 : 0);
                        if (taskFailed) {
                            findings.add(new Finding(labels, "task " + task.id() + " of connector "
                                    + connector.name() + " is FAILED" + (task.error() == null ? ""
                                            : ": " + firstLine(task.error()))));
                        }
                    }
                }
                readings.publish("sluice.connector.failed", "1 for a FAILED connector or task", rows);
                return findings;
            }
        };
    }

    static AlertRule unreachable(ConnectorService connectors, ExportedReadings readings) {
        return new NamedRule(UNREACHABLE, AlertRule.Scope.DEPLOYMENT) {
            @Override
            public List<Finding> check(Instant now) {
                try {
                    connectors.list();
                    readings.publish("sluice.connect.up", "1 when Kafka Connect answers", 1);
                    return List.of();
                } catch (RuntimeException e) {
                    readings.publish("sluice.connect.up", "1 when Kafka Connect answers", 0);
                    return List.of(new Finding(Map.of(), "Kafka Connect does not answer: "
                            + firstLine(String.valueOf(e.getMessage()))));
                }
            }
        };
    }

    static String firstLine(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }
}
