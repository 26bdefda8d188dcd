package dev.sluice.app.dataset.api;

import java.util.List;

import dev.sluice.app.dataset.DatasetActions;
import dev.sluice.app.dataset.DatasetSpec;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Order;
import jakarta.inject.Singleton;

/** Dataset actions that fail to apply a dataset whose description says {@code fail}; ordered after the recording ones. */
@Singleton
@Order(10)
@Requires(property = DatasetApiIT.ACTIONS, value = "true")
public class FailingActions implements DatasetActions {

    @Override
    public List<String> problems(DatasetSpec spec) {
        return List.of();
    }

    @Override
    public void apply(DatasetSpec spec) {
        if (spec.description().contains("fail")) {
            throw new IllegalStateException("lake sink lake-silver rejected the topic list");
        }
    }

    @Override
    public void remove(DatasetSpec spec) {
        // nothing to undo
    }
}
