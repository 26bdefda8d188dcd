package dev.sluice.app.dataset.restart;

import java.time.Duration;

import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;

/**
 * Restarts this instance for a new topology: closes Kafka Streams (which commits the open transactions of
 * exactly-once processing and leaves the group), then exits with {@value #EXIT_CODE}, for the supervisor to start
 * the process again; at start the topology is built from the dataset directory as it is then. Kafka Streams
 * cannot swap a topology in a running instance, so a restart is the only way to apply a changed dataset.
 */
@Singleton
public class StreamsRestart {

    /**
     * EX_TEMPFAIL of sysexits.h: the process ended on purpose and wants to be started again. The launcher's supervisor
     * (devstack/launcher {@code Supervisor.RESTART_EXIT_CODE}) restarts it at once without counting a crash.
     */
    public static final int EXIT_CODE = 75;
    private static final Logger LOG = LoggerFactory.getLogger(StreamsRestart.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

    private final BeanProvider<KafkaStreams> streams;
    private final ProcessExit exit;
    private boolean requested;

    public StreamsRestart(BeanProvider<KafkaStreams> streams, ProcessExit exit) {
        this.streams = streams;
        this.exit = exit;
    }

    /**
     * Closes the streams and exits, on a thread of its own (closing waits for the stream threads, which may take a
     * while); does nothing after the first call.
     */
    public synchronized void restart(String reason) {
        if (requested) {
            return;
        }
        requested = true;
        LOG.warn("restarting for a new topology: {}; closing Kafka Streams, then exiting with code {}", reason,
                EXIT_CODE);
        new Thread(this::closeAndExit, "sluice-restart-for-datasets").start();
    }

    private void closeAndExit() {
        if (streams.isPresent()) {
            boolean closed = streams.get().close(CLOSE_TIMEOUT);
            LOG.info("Kafka Streams {}", closed ? "closed cleanly" : "did not close within " + CLOSE_TIMEOUT
                    .toSeconds() + " s; exiting anyway, open transactions are aborted by the broker");
        }
        exit.exit(EXIT_CODE);
    }
}
