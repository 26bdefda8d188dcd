package dev.sluice.devstack.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sluice.embedded.Await;
import dev.sluice.embedded.ServerProcess;

/** The supervisor on real operating-system processes, killed with SIGKILL. */
class SupervisorTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final List<ServerProcess> started = new CopyOnWriteArrayList<>();
    private final List<String> recorded = new CopyOnWriteArrayList<>();
    private final Supervisor supervisor = new Supervisor(new RestartPolicy(Duration.ofMillis(10),
            Duration.ofMillis(40), 3, Duration.ofMinutes(10)), Clock.systemUTC(), (name, p) -> recorded.add(name));

    @AfterEach
    void stop() {
        supervisor.close();
        started.forEach(ServerProcess::close);
    }

    @Test
    void aKilledChildIsStartedAgainAndRecorded() {
        Supervised<Child> child = supervisor.supervise("sleeper", start(), this::start);
        Child first = child.current();

        first.process.destroyForcibly();

        Await.until("a new sleeper", TIMEOUT, () -> child.current() != first
                && child.state() == Supervised.State.RUNNING);
        assertTrue(child.current().process.isAlive());
        assertNotEquals(first.processHandle().pid(), child.current().processHandle().pid());
        assertEquals(1, child.restarts());
        assertEquals(List.of("sleeper"), recorded);

        Child second = child.current();
        second.process.destroyForcibly();
        Await.until("a third sleeper", TIMEOUT, () -> child.current() != second
                && child.state() == Supervised.State.RUNNING);
        assertEquals(2, child.restarts());
    }

    @Test
    void aChildThatCannotBeStartedIsGivenUpOnAfterTheBudget() {
        AtomicInteger attempts = new AtomicInteger();
        Supervised<Child> child = supervisor.supervise("broken", start(), () -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("port 127.0.0.1:1 is already in use");
        });

        child.current().process.destroyForcibly();

        Await.until("given up", TIMEOUT, () -> child.state() == Supervised.State.GAVE_UP);
        assertEquals(3, attempts.get(), "three restarts within the window, then no more");
        assertEquals(0, child.restarts());
    }

    @Test
    void aChildStoppedOnPurposeStaysStopped() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Supervised<Child> child = supervisor.supervise("stopped", start(), () -> {
            attempts.incrementAndGet();
            return start();
        });
        Child only = child.current();

        child.close();

        assertEquals(Supervised.State.STOPPED, child.state());
        only.processHandle().onExit().get();
        // The exit was reported to a supervised child that is stopped: it must not count as a death.
        assertTrue(!child.died(only), "a stopped child does not die");
        assertEquals(0, attempts.get());
    }

    @Test
    void aChildThatExitsToBeRestartedIsStartedAgainWithoutSpendingTheBudget() {
        AtomicInteger asked = new AtomicInteger();
        // Each start but the last asks for a restart at once; more of them than the budget of three crashes.
        Supervised<Child> child = supervisor.supervise("restarter", exiting(Supervisor.RESTART_EXIT_CODE),
                () -> asked.incrementAndGet() < 5 ? exiting(Supervisor.RESTART_EXIT_CODE) : start());

        Await.until("five restarts", TIMEOUT, () -> child.restarts() == 5
                && child.state() == Supervised.State.RUNNING);
        assertTrue(child.current().process.isAlive());

        // The budget is untouched: a real crash now is restarted, and so are the two after it.
        for (int crash = 1; crash <= 3; crash++) {
            Child before = child.current();
            before.process.destroyForcibly();
            Await.until("restart after crash " + crash, TIMEOUT, () -> child.current() != before
                    && child.state() == Supervised.State.RUNNING);
        }
        assertEquals(8, child.restarts());
    }

    @Test
    void anotherExitCodeIsACrash() {
        AtomicInteger attempts = new AtomicInteger();
        Supervised<Child> child = supervisor.supervise("failing", exiting(70), () -> {
            attempts.incrementAndGet();
            return exiting(70);
        });

        Await.until("given up", TIMEOUT, () -> child.state() == Supervised.State.GAVE_UP);
        assertEquals(3, attempts.get(), "exit code 70 counts against the budget of three");
    }

    private Child exiting(int code) {
        try {
            Child child = new Child(new ProcessBuilder("sh", "-c", "exit " + code).start());
            started.add(child);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Child start() {
        try {
            Child child = new Child(new ProcessBuilder("sleep", "600").start());
            started.add(child);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A real process standing in for a server. */
    static final class Child implements ServerProcess {
        final Process process;

        Child(Process process) {
            this.process = process;
        }

        @Override
        public ProcessHandle processHandle() {
            return process.toHandle();
        }

        @Override
        public OptionalInt exitCode() {
            return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
        }

        @Override
        public Path logFile() {
            return Path.of("sleeper.log");
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
