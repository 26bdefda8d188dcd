package dev.sluice.devstack.terminal;

import static dev.sluice.devstack.terminal.StatusFixtures.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class StateChangesTest {

    @Test
    void countersMovingAreNoStateChange() {
        assertEquals(List.of(), StateChanges.between(snapshot("t0"), snapshot("t1")));
    }

    @Test
    void aFailedTaskAndAJoinedInstanceAreOneLineEachWithTheErrorsFirstLine() {
        assertEquals(List.of(
                "connector bronze-lake task 0: RUNNING -> FAILED: org.apache.kafka.connect.errors.ConnectException:"
                        + " Exiting WorkerSinkTask due to unrecoverable exception.",
                "streams-app instance 127.0.0.1:8080: RUNNING -> REBALANCING",
                "streams-app instance 127.0.0.1:8090 joined (REBALANCING)"),
                StateChanges.between(snapshot("t1"), snapshot("t2")));
    }

    @Test
    void aRestartedTaskAndAnInstanceThatLeft() {
        assertEquals(List.of(
                "connector bronze-lake task 0: FAILED -> RUNNING",
                "streams-app instance 127.0.0.1:8080: REBALANCING -> RUNNING",
                "streams-app instance 127.0.0.1:8090 left"),
                StateChanges.between(snapshot("t2"), snapshot("t1")));
    }

    @Test
    void connectGoingAwayIsOneLineNotEveryConnectorRemoved() {
        assertEquals(List.of("Kafka Connect unavailable: Kafka Connect did not answer within 3 s"),
                StateChanges.between(snapshot("t1"), snapshot("t3")));
        assertEquals(List.of("Kafka Connect answers again"), StateChanges.between(snapshot("t3"), snapshot("t1")));
    }

    @Test
    void connectorsAddedAndRemoved() {
        PipelineSnapshot t1 = snapshot("t1");
        PipelineSnapshot withoutCdc = new PipelineSnapshot(t1.time(), t1.bronzeArrived(), t1.written(), null,
                t1.maxLagTopic(), t1.maxLag(), t1.deadLetters(), true, null,
                java.util.Map.of("bronze-lake", t1.connectors().get("bronze-lake")), t1.instances());
        assertEquals(List.of("connector shop-cdc removed"), StateChanges.between(t1, withoutCdc));
        assertEquals(List.of("connector shop-cdc added (RUNNING)"), StateChanges.between(withoutCdc, t1));
    }

    @Test
    void anErrorIsCutToOneShortLine() {
        assertEquals("x".repeat(200) + "...", StateChanges.shortened("x".repeat(500) + "\n\tat somewhere"));
    }
}
