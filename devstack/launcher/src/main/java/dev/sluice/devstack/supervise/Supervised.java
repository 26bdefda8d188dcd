package dev.sluice.devstack.supervise;

import java.util.function.Supplier;

import dev.sluice.embedded.ServerProcess;

/**
 * One child of the platform under supervision: its current process, which changes with every restart, and where
 * it stands. Closing it stops the supervision first, then the child.
 */
public final class Supervised<T extends ServerProcess> implements AutoCloseable {

    /** Where a supervised child stands. */
    public enum State {
        /** Its process runs (or has just died and the supervisor has not noticed yet). */
        RUNNING,
        /** It died; a restart is scheduled or under way. */
        RESTARTING,
        /** It died too often within the restart window; the rest of the platform runs on without it. */
        GAVE_UP,
        /** Stopped on purpose. */
        STOPPED
    }

    private final String component;
    private final Supplier<T> starter;
    private final RestartHistory history;
    private T current;
    private State state = State.RUNNING;
    private int restarts;

    Supervised(String component, T first, Supplier<T> starter, RestartHistory history) {
        this.component = component;
        this.current = first;
        this.starter = starter;
        this.history = history;
    }

    public String component() {
        return component;
    }

    /** The process running now (the last one started, if none runs). */
    public synchronized T current() {
        return current;
    }

    public synchronized State state() {
        return state;
    }

    /** How many times the child was started again after dying. */
    public synchronized int restarts() {
        return restarts;
    }

    Supplier<T> starter() {
        return starter;
    }

    RestartHistory history() {
        return history;
    }

    /** Marks {@code dead} as died; false when that is no news (stopped on purpose, or already replaced). */
    synchronized boolean died(T dead) {
        if (state != State.RUNNING || current != dead) {
            return false;
        }
        state = State.RESTARTING;
        return true;
    }

    /** Installs a freshly started process; false (and the caller stops it) when the child was stopped meanwhile. */
    synchronized boolean replaced(T fresh) {
        if (state != State.RESTARTING) {
            return false;
        }
        current = fresh;
        state = State.RUNNING;
        restarts++;
        return true;
    }

    synchronized boolean gaveUp() {
        if (state != State.RESTARTING) {
            return false;
        }
        state = State.GAVE_UP;
        return true;
    }

    synchronized boolean stopped() {
        return state == State.STOPPED;
    }

    @Override
    public void close() {
        T last;
        synchronized (this) {
            state = State.STOPPED;
            last = current;
        }
        last.close();
    }
}
