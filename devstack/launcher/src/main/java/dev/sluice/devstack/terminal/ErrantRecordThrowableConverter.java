package dev.sluice.devstack.terminal;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.CoreConstants;

/**
 * The throwable part of a {@code platform.log} line ({@code %errantEx} in logback.xml, right after the message).
 * Two loggers log every bad record as an ERROR with a full stack trace: Kafka Connect's errant-record reporter
 * ({@code errors.log.enable}) and the registry client's schema cache, which fails to find the schema id a bad
 * record names (the generator's bad records on the bronze sink). For those, only the class of the error and of its
 * root cause, on the same line; for every other logger the stack trace as usual, on the lines below. Exception
 * messages are left out on purpose: a converter's message may quote the bad record's bytes, and the loggers' own
 * messages already say where the record is (Connect: connector task, stage, topic, partition, offset, no key or
 * value with {@code errors.log.include.messages=false}; the schema cache: the schema id).
 */
public final class ErrantRecordThrowableConverter extends ThrowableProxyConverter {

    /** Connect's {@code LogReporter} (its sink and source variants log through the same logger). */
    static final String ERRANT_RECORD_LOGGER = "org.apache.kafka.connect.runtime.errors.LogReporter";
    /** Apicurio's schema cache: "Failed to update cache value for key: <schema id>" per record naming an unknown id. */
    static final String SCHEMA_CACHE_LOGGER = "io.apicurio.registry.resolver.ERCache";

    @Override
    public String convert(ILoggingEvent event) {
        IThrowableProxy error = event.getThrowableProxy();
        if (error == null) {
            return "";
        }
        String logger = event.getLoggerName();
        if (logger.startsWith(ERRANT_RECORD_LOGGER) || logger.equals(SCHEMA_CACHE_LOGGER)) {
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
