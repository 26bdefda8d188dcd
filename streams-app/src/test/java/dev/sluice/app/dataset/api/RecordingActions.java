package dev.sluice.app.dataset.api;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.sluice.app.dataset.DatasetActions;
import dev.sluice.app.dataset.DatasetSpec;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * Dataset actions of the API tests: records every call as {@code <call> <dataset>}; finds a problem with a dataset
 * whose description says {@code problem}. The real actions (connectors, database, lake sinks) have ITs of their own
 * against the embedded platform; these stand for what the API must do with any of them.
 */
@Singleton
@Requires(property = DatasetApiIT.ACTIONS, value = "true")
public class RecordingActions implements DatasetActions {

    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public List<String> problems(DatasetSpec spec) {
        calls.add("problems " + spec.name());
        return spec.description().contains("problem")
                ? List.of("source.table: table public." + spec.name() + " does not exist") : List.of();
    }

    @Override
    public void apply(DatasetSpec spec) {
        calls.add("apply " + spec.name());
    }

    @Override
    public void remove(DatasetSpec spec) {
        calls.add("remove " + spec.name());
    }
}
