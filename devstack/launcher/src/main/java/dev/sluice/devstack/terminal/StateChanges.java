package dev.sluice.devstack.terminal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What changed between two successive status answers, one line each: connectors and their tasks changing state
 * (a task that failed, one that runs again), connectors added or removed, streams-app instances that joined, left,
 * changed state or became unreachable, and Kafka Connect going away or coming back. Nothing for what stayed.
 */
public final class StateChanges {

    private static final String RUNNING = "RUNNING";
    /** An error is shown up to this length: enough for the exception and its cause, not a wall of text. */
    private static final int MAX_ERROR = 200;

    private StateChanges() {
    }

    public static List<String> between(PipelineSnapshot previous, PipelineSnapshot current) {
        List<String> lines = new ArrayList<>();
        if (previous.connectorsError() == null && current.connectorsError() != null) {
            lines.add("Kafka Connect unavailable: " + shortened(current.connectorsError()));
        } else if (previous.connectorsError() != null && current.connectorsError() == null) {
            lines.add("Kafka Connect answers again");
        }
        // While Connect does not answer, its connectors are unknown, not removed.
        if (previous.connectorsError() == null && current.connectorsError() == null) {
            connectors(previous.connectors(), current.connectors(), lines);
        }
        instances(previous.instances(), current.instances(), lines);
        return lines;
    }

    private static void connectors(Map<String, PipelineSnapshot.Connector> before,
            Map<String, PipelineSnapshot.Connector> after, List<String> lines) {
        for (String name : union(before.keySet(), after.keySet())) {
            PipelineSnapshot.Connector was = before.get(name);
            PipelineSnapshot.Connector is = after.get(name);
            if (is == null) {
                lines.add("connector " + name + " removed");
                continue;
            }
            if (was == null) {
                lines.add("connector " + name + " added (" + is.state() + withError(is.error()) + ")");
            } else if (!Objects.equals(was.state(), is.state())) {
                lines.add("connector " + name + ": " + was.state() + " -> " + is.state() + withError(is.error()));
            }
            Map<Integer, PipelineSnapshot.Task> tasksBefore = was == null ? Map.of() : was.tasks();
            for (Map.Entry<Integer, PipelineSnapshot.Task> task : is.tasks().entrySet()) {
                PipelineSnapshot.Task wasTask = tasksBefore.get(task.getKey());
                String from = wasTask == null ? null : wasTask.state();
                String to = task.getValue().state();
                // A new task that runs is the normal start of a connector, not news.
                if (!Objects.equals(from, to) && !(from == null && RUNNING.equals(to))) {
                    lines.add("connector " + name + " task " + task.getKey() + ": " + (from == null ? "new" : from)
                            + " -> " + to + withError(task.getValue().error()));
                }
            }
        }
    }

    private static void instances(Map<String, String> before, Map<String, String> after, List<String> lines) {
        for (String name : union(before.keySet(), after.keySet())) {
            String was = before.get(name);
            String is = after.get(name);
            if (was == null) {
                lines.add("streams-app instance " + name + " joined (" + shortened(is) + ")");
            } else if (is == null) {
                lines.add("streams-app instance " + name + " left");
            } else if (!was.equals(is)) {
                lines.add("streams-app instance " + name + ": " + shortened(was) + " -> " + shortened(is));
            }
        }
    }

    private static TreeSet<String> union(Iterable<String> a, Iterable<String> b) {
        TreeSet<String> all = new TreeSet<>();
        a.forEach(all::add);
        b.forEach(all::add);
        return all;
    }

    private static String withError(String error) {
        return error == null ? "" : ": " + shortened(error);
    }

    /** The first line, cut to {@value #MAX_ERROR} characters: a terminal line stays one line. */
    static String shortened(String text) {
        String first = text.strip().lines().findFirst().orElse("");
        return first.length() <= MAX_ERROR ? first : first.substring(0, MAX_ERROR) + "...";
    }
}
