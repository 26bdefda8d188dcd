package dev.sluice.app.connect;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns Kafka Connect's JSON (status, info, config) into {@link ConnectorView}s: stack traces are cut down to the
 * exception and its root cause, and secrets are masked or scrubbed (literal ones and what references resolve to).
 */
final class ConnectorViews {

    /** A summary line is cut here: enough for the message, not a log dump. */
    private static final int MAX_LINE = 500;
    private static final String CAUSED_BY = "Caused by: ";

    private final SecretMasker masker;
    private final ConfigSecrets configSecrets;

    ConnectorViews(SecretMasker masker, ConfigSecrets configSecrets) {
        this.masker = masker;
        this.configSecrets = configSecrets;
    }

    /**
     * @param status Connect's status document, or null when Connect has none yet
     * @param config the stored configuration, or null when unknown
     * @param withConfig whether to include the (masked) configuration
     */
    ConnectorView view(String name, JsonNode status, Map<String, String> config, String type, boolean withConfig) {
        // A failed task's trace may quote a resolved secret (a password in a connection error); resolving the
        // references reads files, so only when there is a trace to scrub.
        Set<String> secrets = config == null || status == null || status.findValue("trace") == null ? Set.of()
                : configSecrets.of(config);
        String connectorClass = config == null ? null : config.get("connector.class");
        if (status == null || status.isMissingNode() || status.isEmpty()) {
            return new ConnectorView(name, type, connectorClass, "UNASSIGNED", null, null, List.of(),
                    withConfig && config != null ? masker.mask(config) : null);
        }
        JsonNode connector = status.path("connector");
        List<ConnectorView.TaskView> tasks = new ArrayList<>();
        for (JsonNode task : status.path("tasks")) {
            tasks.add(new ConnectorView.TaskView(task.path("id").asInt(), task.path("state").asText(),
                    text(task, "worker_id"), summary(text(task, "trace"), secrets), null));
        }
        String statusType = text(status, "type");
        return new ConnectorView(name, statusType != null ? statusType : type, connectorClass,
                connector.path("state").asText("UNASSIGNED"), text(connector, "worker_id"),
                summary(text(connector, "trace"), secrets), tasks,
                withConfig && config != null ? masker.mask(config) : null);
    }

    /** A configuration as returned by Connect, as a map of strings. */
    static Map<String, String> config(JsonNode node) {
        Map<String, String> config = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().isNull() ? null
                : e.getValue().asText()));
        return config;
    }

    /**
     * The first line of a stack trace (exception and message) and its last "Caused by" line, without frames;
     * null for no trace.
     */
    String summary(String trace, Collection<String> secrets) {
        if (trace == null || trace.isBlank()) {
            return null;
        }
        String[] lines = trace.split("\\R");
        String first = lines[0].strip();
        String rootCause = null;
        for (String line : lines) {
            String stripped = line.strip();
            if (stripped.startsWith(CAUSED_BY)) {
                rootCause = stripped.substring(CAUSED_BY.length());
            }
        }
        String summary = rootCause == null || rootCause.equals(first) ? cut(first)
                : cut(first) + " | root cause: " + cut(rootCause);
        return masker.scrub(summary, secrets);
    }

    private static String cut(String line) {
        return line.length() <= MAX_LINE ? line : line.substring(0, MAX_LINE) + "...";
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
