package dev.sluice.devstack.terminal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the terminal needs of one answer of streams-app's {@code GET /api/status}: counters to turn into rates,
 * the largest lag, and the states whose changes are reported. Fields the answer does not have are absent here
 * (null or empty), never invented; fields this class does not know are ignored, so the API may grow.
 *
 * @param time          when streams-app put the answer together
 * @param bronzeArrived records in the bronze topics (sum of their end offsets); null when lag is unknown
 * @param written       records the answering instance wrote to silver and to gold since it started, by layer (the
 *                      counts of its freshness measurements, {@code freshness.datasets[].count}); null when the
 *                      answer has no freshness
 * @param lagError      why lag is unknown; null when it is known
 * @param maxLagTopic   the input topic with the largest lag; null when none
 * @param maxLag        its lag
 * @param deadLetters   dead-letter records by stage; null when the monitor is disabled
 * @param deadLettersCaughtUp whether the dead-letter monitor has read its topics to the end
 * @param connectorsError why Kafka Connect could not be asked; null when it answered
 * @param connectors    connector name to its state and its tasks' states
 * @param instances     instance name to its Kafka Streams state ("unreachable: ..." when it did not answer)
 */
public record PipelineSnapshot(Instant time, Long bronzeArrived, Map<String, Long> written, String lagError,
        String maxLagTopic, long maxLag, Map<String, Long> deadLetters, boolean deadLettersCaughtUp,
        String connectorsError, Map<String, Connector> connectors, Map<String, String> instances) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A connector's state and its tasks'.
     *
     * @param state RUNNING, PAUSED, FAILED, ...
     * @param error for a failed connector, its error without stack trace
     * @param tasks task id to task
     */
    public record Connector(String state, String error, Map<Integer, Task> tasks) {
    }

    /**
     * A connector task's state.
     *
     * @param state RUNNING, FAILED, ...
     * @param error for a failed task, its error without stack trace
     */
    public record Task(String state, String error) {
    }

    /**
     * Reads an answer of {@code GET /api/status}.
     *
     * @throws IllegalArgumentException when it is not JSON or has no {@code time}
     */
    public static PipelineSnapshot parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a status answer: " + e.getOriginalMessage());
        }
        if (root == null || !root.path("time").isTextual()) {
            throw new IllegalArgumentException("not a status answer: no time");
        }
        Instant time;
        try {
            time = Instant.parse(root.path("time").asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a status answer: time " + root.path("time").asText());
        }

        JsonNode lag = root.path("lag");
        String lagError = text(lag.path("error"));
        Long arrived = null;
        String maxLagTopic = null;
        long maxLag = 0;
        if (lagError == null && lag.isObject()) {
            long sum = 0;
            for (JsonNode topic : lag.path("topics")) {
                if ("bronze".equals(topic.path("kind").asText())) {
                    sum += topic.path("end").asLong();
                }
                long topicLag = topic.path("lag").asLong();
                if (maxLagTopic == null || topicLag > maxLag) {
                    maxLagTopic = topic.path("topic").asText();
                    maxLag = topicLag;
                }
            }
            arrived = sum;
        }

        Map<String, Long> written = null;
        if (root.path("freshness").isObject()) {
            written = new TreeMap<>(Map.of("silver", 0L, "gold", 0L));
            for (JsonNode entry : root.path("freshness").path("datasets")) {
                String layer = entry.path("layer").asText();
                if (written.containsKey(layer)) {
                    written.merge(layer, entry.path("count").asLong(), Long::sum);
                }
            }
        }

        JsonNode dead = root.path("deadLetters");
        Map<String, Long> deadLetters = null;
        if (dead.isObject()) {
            deadLetters = new TreeMap<>();
            for (Map.Entry<String, JsonNode> stage : dead.path("byStage").properties()) {
                deadLetters.put(stage.getKey(), stage.getValue().asLong());
            }
        }

        JsonNode connect = root.path("connectors");
        String connectorsError = connect.path("available").asBoolean(false) ? null
                : firstNonNull(text(connect.path("error")), "Kafka Connect not asked");
        Map<String, Connector> connectors = new TreeMap<>();
        for (JsonNode item : connect.path("items")) {
            Map<Integer, Task> tasks = new TreeMap<>();
            for (JsonNode task : item.path("tasks")) {
                tasks.put(task.path("id").asInt(), new Task(task.path("state").asText(), text(task.path("error"))));
            }
            connectors.put(item.path("name").asText(), new Connector(item.path("state").asText(),
                    text(item.path("error")), tasks));
        }

        Map<String, String> instances = new LinkedHashMap<>();
        for (JsonNode instance : root.path("instances")) {
            instances.put(instance.path("instance").asText(), instance.path("reachable").asBoolean(true)
                    ? firstNonNull(text(instance.path("state")), "UNKNOWN")
                    : "unreachable: " + firstNonNull(text(instance.path("error")), "no answer"));
        }
        return new PipelineSnapshot(time, arrived, written == null ? null : Collections.unmodifiableMap(written),
                lagError, maxLagTopic, maxLag,
                deadLetters == null ? null : Collections.unmodifiableMap(deadLetters),
                dead.path("caughtUp").asBoolean(false),
                connectorsError, Collections.unmodifiableMap(connectors), Collections.unmodifiableMap(instances));
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    private static String firstNonNull(String value, String otherwise) {
        return value != null ? value : otherwise;
    }
}
