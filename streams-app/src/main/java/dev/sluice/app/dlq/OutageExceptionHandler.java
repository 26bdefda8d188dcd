package dev.sluice.app.dlq;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a stream thread that died. A thread stopped by an outage (the registry or broker unreachable,
 * {@link Failures#isTransient(Throwable)}) is replaced: its tasks are closed without committing (the open
 * transaction is aborted, nothing was dead-lettered), and the new thread takes them over from the last commit and
 * resumes by itself once the dependency answers again; the serdes' bounded retry ({@code
 * sluice.registry.outage-retry}) paces the attempts. Any other failure shuts the client down as Kafka Streams does
 * by default: a bug must not loop.
 * <p>
 * The global thread (reference tables) cannot be replaced; Kafka Streams shuts the client down for it whatever
 * this handler answers.
 */
public class OutageExceptionHandler implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(OutageExceptionHandler.class);

    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        if (Failures.isTransient(exception)) {
            LOG.warn("stream thread stopped by an outage, replacing it (its tasks resume from the last commit): {}",
                    Failure.describe(exception));
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        LOG.error("stream thread failed, shutting the streams client down", exception);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
}
