package dev.sluice.app.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterReasonsTest {

    private static DeadLetterReasons.Reason reason(int i) {
        return new DeadLetterReasons.Reason("validate", "MADE_UP_" + i, null);
    }

    @Test
    void madeUpReasonsBeyondTheBoundAreCountedAsOtherAndKnownOnesKeepCounting() {
        DeadLetterReasons reasons = new DeadLetterReasons();
        int flood = DeadLetterReasons.MAX_REASONS + 5_000;
        for (int i = 0; i < flood; i++) {
            reasons.increment(reason(i));
        }
        reasons.increment(reason(0));

        Map<DeadLetterReasons.Reason, Long> counts = reasons.snapshot();
        assertEquals(DeadLetterReasons.MAX_REASONS + 1, counts.size(), "bounded: the first reasons and 'other'");
        assertEquals(5_000L, counts.get(DeadLetterReasons.OTHER));
        assertEquals(2L, counts.get(reason(0)), "a known reason keeps its own count");
        assertEquals(flood + 1L, counts.values().stream().mapToLong(Long::longValue).sum(), "nothing uncounted");
    }
}
