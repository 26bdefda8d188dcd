package dev.sluice.devstack.terminal;

import static dev.sluice.devstack.terminal.StatusFixtures.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class StatusLineTest {

    @Test
    void ratesAreTheCountersDifferencesOverTheTimeBetweenTheAnswers() {
        Map<String, Integer> lake = new TreeMap<>(Map.of("silver", 4, "bronze", 3));
        assertEquals("status | in/s bronze 25.0 silver 24.1 gold 11.9 | dead letters/s deserialize 0.1 validate 0.3"
                + " | max lag 12 bronze.pg.orders | lake files +7 (bronze 3, silver 4) | connectors 2/2 running",
                StatusLine.of(snapshot("t0"), snapshot("t1"), lake));
    }

    @Test
    void aFailedTaskIsNamedAndNoDeadLettersIsZero() {
        assertEquals("status | in/s bronze 0.0 silver 0.0 gold 0.0 | dead letters/s 0 | max lag 12 bronze.pg.orders"
                + " | lake files +0 | connectors 1/2 running (bronze-lake task 0 FAILED)",
                StatusLine.of(snapshot("t1"), snapshot("t2"), Map.of()));
    }

    @Test
    void whatIsUnknownIsSaidToBeUnknownNotGuessed() {
        assertEquals("status | in/s unknown | dead letters/s counting | max lag unknown | lake files +0"
                + " | connectors unknown (Kafka Connect did not answer within 3 s)",
                StatusLine.of(snapshot("t1"), snapshot("t3"), Map.of()));
    }

    @Test
    void theFirstLineHasNoIntervalAndSaysSo() {
        assertEquals("status | in/s unknown | dead letters/s unknown | max lag 5 bronze.pg.orders | lake files +0"
                + " | connectors 2/2 running", StatusLine.of(snapshot("t0"), snapshot("t0"), Map.of()));
    }

    @Test
    void withoutAnAnswerTheLineSaysWhyAndStillCountsTheLake() {
        assertEquals("status | streams-app status unavailable: answered 503 | lake files +2 (gold 2)",
                StatusLine.unavailable("answered 503", Map.of("gold", 2)));
    }

    @Test
    void anAnswerThatIsNotAStatusIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PipelineSnapshot.parse("<html>"));
        assertThrows(IllegalArgumentException.class, () -> PipelineSnapshot.parse("{\"time\":\"yesterday\"}"));
    }
}
