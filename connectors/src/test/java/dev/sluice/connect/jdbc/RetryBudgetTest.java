package dev.sluice.connect.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

    private static final SQLException DOWN = new SQLException("Connection refused", "08001");

    @Test
    void waitsTheBackoffUntilTheLastAttemptThenFailsWithContext() {
        RetryBudget budget = new RetryBudget(3, 250);
        assertEquals(250, budget.failure("read table t", DOWN));
        assertEquals(250, budget.failure("read table t", DOWN));
        ConnectException e = assertThrows(ConnectException.class, () -> budget.failure("read table t", DOWN));
        assertTrue(e.getMessage().contains("3 consecutive failed attempt(s) to read table t"), e.getMessage());
        assertTrue(e.getMessage().contains("08001"), e.getMessage());
        assertTrue(e.getMessage().contains("connection.attempts=3"), e.getMessage());
    }

    @Test
    void aSuccessResetsTheCount() {
        RetryBudget budget = new RetryBudget(2, 0);
        budget.failure("x", DOWN);
        budget.success();
        assertEquals(0, budget.failure("x", DOWN));
        assertThrows(ConnectException.class, () -> budget.failure("x", DOWN));
    }

    @Test
    void oneAttemptFailsAtOnce() {
        assertThrows(ConnectException.class, () -> new RetryBudget(1, 1000).failure("x", DOWN));
    }
}
