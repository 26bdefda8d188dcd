package dev.sluice.app.alerts;

import java.util.Map;
import java.util.TreeMap;

/**
 * One breach a rule sees right now: the labels that tell it apart from the rule's other breaches (a connector, a
 * topic, a slot) and a sentence for people.
 *
 * @param labels  what this breach is about; with the rule's name, the alert's identity
 * @param summary what is wrong, with the value seen and the threshold
 */
public record Finding(Map<String, String> labels, String summary) {

    public Finding {
        labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    }
}
