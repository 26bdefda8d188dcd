package dev.sluice.app;

import io.micronaut.runtime.Micronaut;

/** Entry point of streams-app: the Micronaut service that hosts the Sluice Kafka Streams topology. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
