package dev.sluice.devstack.terminal;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.CoreConstants;

/**
 * The throwable part of a {@code platform.log} line ({@code %errantEx} in logback.xml, right after the message):
 * for Kafka Connect's errant-record reporter ({@code errors.log.enable}), which logs every bad record as an
 * ERROR with the full stack trace, only the class of the error and of its root cause, on the same line; for
 * every other logger the stack trace as usual, on the lines below. Exception messages are left out on purpose:
 * a converter's message may quote the bad record's bytes, and the reporter's own message already says where the
 * record is (connector task, stage, topic, partition, offset; no key or value with
 * {@code errors.log.include.messages=false}).
 */
public final class ErrantRecordThrowableConverter extends ThrowableProxyConverter {

    /** Connect's {@code LogReporter} (its sink and source variants log through the same logger). */
    static final String ERRANT_RECORD_LOGGER = "org.apache.kafka.connect.runtime.errors.LogReporter";

    @Override
    public String convert(ILoggingEvent event) {
        IThrowableProxy error = event.getThrowableProxy();
        if (error == null) {
            return "";
        }
        if (event.getLoggerName().startsWith(ERRANT_RECORD_LOGGER)) {
            IThrowableProxy root = error;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return " [" + error.getClassName() + (root == error ? "" : ", root cause " + root.getClassName()) + "]";
        }
        // The pattern ends the line after this converter: the trace starts on the next line and ends without one.
        String trace = super.convert(event);
        return CoreConstants.LINE_SEPARATOR + trace.stripTrailing();
    }
}
