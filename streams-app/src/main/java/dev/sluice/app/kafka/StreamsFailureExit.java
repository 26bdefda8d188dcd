package dev.sluice.app.kafka;

import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micronaut.configuration.kafka.streams.event.BeforeKafkaStreamStart;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import jakarta.inject.Singleton;

/**
 * Ends the process when Kafka Streams has failed for good ({@code ERROR}: a stream thread died with no
 * replacement, or the global thread died, which nothing can replace). An instance in ERROR never processes again,
 * yet a live process looks healthy to a restart policy that watches processes: {@code ./sluice up}'s supervisor,
 * docker-compose's {@code restart: unless-stopped}, systemd. Exiting lets each of them start the app afresh (state is
 * restored from changelogs, open transactions are aborted), as Kubernetes does on the failed liveness probe.
 * {@code sluice.streams.exit-on-error=false} keeps the process (in-process tests).
 */
@Singleton
@Requires(property = "sluice.streams.exit-on-error", notEquals = "false")
@Requires(property = "kafka.enabled", notEquals = "false")
public class StreamsFailureExit implements ApplicationEventListener<BeforeKafkaStreamStart> {

    /** EX_SOFTWARE of sysexits.h: an internal error, worth a restart. */
    public static final int EXIT_CODE = 70;
    private static final Logger LOG = LoggerFactory.getLogger(StreamsFailureExit.class);

    @Override
    public void onApplicationEvent(BeforeKafkaStreamStart event) {
        event.getKafkaStreams().setStateListener((newState, oldState) -> {
            if (newState == KafkaStreams.State.ERROR) {
                LOG.error("Kafka Streams failed (state {} -> ERROR; the cause is logged above); exiting with code {}"
                        + " so that the app is restarted", oldState, EXIT_CODE);
                // Not on this Kafka Streams thread: the shutdown hooks close Kafka Streams, which joins its threads.
                Thread exit = new Thread(() -> System.exit(EXIT_CODE), "sluice-exit-on-streams-error");
                exit.start();
            }
        });
    }
}
