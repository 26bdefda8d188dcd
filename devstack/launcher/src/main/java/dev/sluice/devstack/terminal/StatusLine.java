package dev.sluice.devstack.terminal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The terminal's periodic status line, from two successive status answers (rates are their counters' differences
 * over the time between them) and the lake files written meanwhile, e.g.
 * <pre>
 * status | in/s bronze 24.8 silver 24.1 gold 11.9 | dead letters/s deserialize 0.2 validate 0.3
 *   | max lag 12 bronze.pg.orders | lake files +7 (bronze 3, silver 4) | connectors 5/5 running
 * </pre>
 * (one line). "bronze" counts records arriving in the bronze topics, "silver" and "gold" the records the answering
 * streams-app instance wrote to them (the devstack runs one).
 */
public final class StatusLine {

    private static final String RUNNING = "RUNNING";

    private StatusLine() {
    }

    /**
     * The line for the interval from {@code previous} to {@code current}.
     *
     * @param lakeFiles new lake files per layer in that interval
     */
    public static String of(PipelineSnapshot previous, PipelineSnapshot current, Map<String, Integer> lakeFiles) {
        double seconds = Duration.between(previous.time(), current.time()).toMillis() / 1000.0;
        List<String> parts = new ArrayList<>();
        parts.add("status");
        parts.add(recordsIn(previous, current, seconds));
        parts.add(deadLetters(previous, current, seconds));
        parts.add(current.lagError() != null ? "max lag unknown"
                : current.maxLag() == 0 ? "max lag 0" : "max lag " + current.maxLag() + " " + current.maxLagTopic());
        parts.add(lake(lakeFiles));
        parts.add(connectors(current));
        return String.join(" | ", parts);
    }

    /** The line when streams-app did not give its status (it is restarting, or overloaded). */
    public static String unavailable(String why, Map<String, Integer> lakeFiles) {
        return "status | streams-app status unavailable: " + StateChanges.shortened(why) + " | " + lake(lakeFiles);
    }

    private static String recordsIn(PipelineSnapshot previous, PipelineSnapshot current, double seconds) {
        if (seconds <= 0) {
            return "in/s unknown";
        }
        List<String> layers = new ArrayList<>();
        if (previous.bronzeArrived() != null && current.bronzeArrived() != null) {
            layers.add("bronze " + rate(current.bronzeArrived() - previous.bronzeArrived(), seconds));
        }
        if (previous.written() != null && current.written() != null) {
            for (String layer : List.of("silver", "gold")) {
                // A restarted instance counts from zero again: no negative rate for that interval.
                layers.add(layer + " " + rate(Math.max(0, current.written().get(layer) - previous.written().get(layer)),
                        seconds));
            }
        }
        return layers.isEmpty() ? "in/s unknown" : "in/s " + String.join(" ", layers);
    }

    private static String deadLetters(PipelineSnapshot previous, PipelineSnapshot current, double seconds) {
        if (current.deadLetters() == null) {
            return "dead letters not monitored";
        }
        if (seconds <= 0) {
            return "dead letters/s unknown";
        }
        if (previous.deadLetters() == null || !previous.deadLettersCaughtUp() || !current.deadLettersCaughtUp()) {
            // The monitor recounts its topics after a start: differences until it caught up are not rates.
            return "dead letters/s counting";
        }
        List<String> stages = new ArrayList<>();
        current.deadLetters().forEach((stage, count) -> {
            long added = count - previous.deadLetters().getOrDefault(stage, 0L);
            if (added > 0) {
                stages.add(stage + " " + rate(added, seconds));
            }
        });
        return stages.isEmpty() ? "dead letters/s 0" : "dead letters/s " + String.join(" ", stages);
    }

    private static String lake(Map<String, Integer> lakeFiles) {
        int total = lakeFiles.values().stream().mapToInt(Integer::intValue).sum();
        if (total == 0) {
            return "lake files +0";
        }
        List<String> layers = new ArrayList<>();
        lakeFiles.forEach((layer, count) -> {
            if (count > 0) {
                layers.add(layer + " " + count);
            }
        });
        return "lake files +" + total + " (" + String.join(", ", layers) + ")";
    }

    private static String connectors(PipelineSnapshot current) {
        if (current.connectorsError() != null) {
            return "connectors unknown (" + StateChanges.shortened(current.connectorsError()) + ")";
        }
        if (current.connectors().isEmpty()) {
            return "connectors none";
        }
        Set<String> trouble = new TreeSet<>();
        int running = 0;
        for (Map.Entry<String, PipelineSnapshot.Connector> connector : current.connectors().entrySet()) {
            boolean healthy = RUNNING.equals(connector.getValue().state());
            if (!healthy) {
                trouble.add(connector.getKey() + " " + connector.getValue().state());
            }
            for (Map.Entry<Integer, PipelineSnapshot.Task> task : connector.getValue().tasks().entrySet()) {
                if (!RUNNING.equals(task.getValue().state())) {
                    healthy = false;
                    trouble.add(connector.getKey() + " task " + task.getKey() + " " + task.getValue().state());
                }
            }
            running += healthy ? 1 : 0;
        }
        String line = "connectors " + running + "/" + current.connectors().size() + " running";
        return trouble.isEmpty() ? line : line + " (" + String.join(", ", trouble) + ")";
    }

    private static String rate(long added, double seconds) {
        return String.format(Locale.ROOT, "%.1f", Math.max(0, added) / seconds);
    }
}
