package dev.sluice.devstack.terminal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The terminal of {@code ./sluice up}: the only logger whose lines reach the console (logback.xml), besides the
 * ready block. It carries the periodic status line and one line per state change; every other logger writes to
 * {@code platform.log} only.
 */
public final class Terminal {

    /** The logger name logback.xml sends to the console (and to platform.log). */
    public static final String LOGGER = "sluice.console";
    public static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private Terminal() {
    }
}
