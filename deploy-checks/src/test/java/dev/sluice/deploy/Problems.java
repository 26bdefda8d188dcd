package dev.sluice.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem a check finds, so that one run reports all of them, each with where it is. */
final class Problems {

    private final List<String> found = new ArrayList<>();

    void add(String where, String problem) {
        found.add(where + ": " + problem);
    }

    void check(boolean ok, String where, String problem) {
        if (!ok) {
            add(where, problem);
        }
    }

    void addAll(Problems other) {
        found.addAll(other.found);
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    /** Fails the test with every problem found, one per line. */
    void assertNone(String what) {
        if (!found.isEmpty()) {
            fail(what + ": " + found.size() + " problem(s)\n  - " + String.join("\n  - ", found));
        }
    }
}
