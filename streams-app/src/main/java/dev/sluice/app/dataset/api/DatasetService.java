package dev.sluice.app.dataset.api;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import dev.sluice.app.connect.ApiException;
import dev.sluice.app.connect.Problem;
import dev.sluice.app.dataset.DatasetActions;
import dev.sluice.app.dataset.DatasetDirectory;
import dev.sluice.app.dataset.DatasetSpec;
import dev.sluice.app.dataset.DatasetSpecParser;
import dev.sluice.app.dataset.InvalidDatasetException;
import dev.sluice.app.dataset.restart.RestartState;
import dev.sluice.app.dataset.restart.TopologyChanges;
import dev.sluice.app.kafka.PipelineTopics;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

/**
 * Reads and changes the dataset directory. A change is checked completely first (the parser, which also holds the
 * name against the file name the path gives, then every {@link DatasetActions#problems}); then every action applies it, and only when all succeeded is the
 * file written, atomically. When an action fails, the actions that already applied are put back (the previous
 * specification applied again, or a new dataset removed) and the file is left as it was: the directory, which the
 * topology is built from, never names a dataset the platform carries only in part. Changes are made one at a time.
 */
@Singleton
public class DatasetService {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetService.class);
    /** The contract's name rule; checked before the name becomes a file name, so no path can be smuggled in. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private final DatasetFiles files;
    private final DatasetDirectory directory;
    private final DatasetSpecParser parser;
    private final List<DatasetActions> actions;
    private final Set<String> enrichmentInputs;
    private final TopologyChanges changes;
    private final DatasetStatusReader status;

    public DatasetService(DatasetDirectory directory, DatasetSpecParser parser, List<DatasetActions> actions,
            PipelineTopics topics, TopologyChanges changes, DatasetStatusReader status) {
        this.files = new DatasetFiles(directory.path());
        this.directory = directory;
        this.parser = parser;
        this.actions = List.copyOf(actions);
        this.enrichmentInputs = Set.of(topics.getSilverCustomers(), topics.getSilverProducts(),
                topics.getSilverExchangeRates());
        this.changes = changes;
        this.status = status;
    }

    public DatasetList list() {
        List<DatasetSummary> summaries = new ArrayList<>();
        for (String name : files.names()) {
            Optional<String> text = files.read(name);
            if (text.isEmpty()) {
                continue; // deleted meanwhile
            }
            try {
                DatasetSpec spec = parse(name, text.get());
                summaries.add(new DatasetSummary(name, spec.description(), spec.source().kind().name()
                        .toLowerCase(java.util.Locale.ROOT), spec.source().topic(), spec.silver().topic(), null,
                        status.of(spec)));
            } catch (InvalidDatasetException e) {
                summaries.add(new DatasetSummary(name, null, null, null, null, e.getMessage(), null));
            }
        }
        return new DatasetList(directory.path().toString(), changes.state(), summaries);
    }

    public DatasetView get(String name) {
        checkName(name);
        String text = files.read(name).orElseThrow(() -> notFound(name));
        Map<String, Object> tree = tree(text);
        try {
            DatasetSpec spec = parse(name, text);
            return new DatasetView(name, DatasetFiles.fileName(name), text, tree, null, status.of(spec),
                    changes.state());
        } catch (InvalidDatasetException e) {
            return new DatasetView(name, DatasetFiles.fileName(name), text, tree, e.getMessage(), null,
                    changes.state());
        }
    }

    /** Checks {@code yaml} as dataset {@code name}; unless {@code validateOnly}, applies it and writes the file. */
    public synchronized DatasetChange put(String name, String yaml, boolean validateOnly) {
        checkName(name);
        String file = DatasetFiles.fileName(name);
        DatasetSpec spec;
        try {
            spec = parse(name, yaml);
        } catch (InvalidDatasetException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid dataset specification", e.getMessage(),
                    List.of(new Problem.FieldError(e.field(), List.of(e.getMessage()))));
        }
        checkUnique(spec);
        List<String> problems = new ArrayList<>();
        for (DatasetActions action : actions) {
            action.problems(spec).forEach(p -> problems.add(file + ": " + p));
        }
        if (!problems.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Dataset cannot be applied", String.join("; ", problems),
                    List.of(new Problem.FieldError(file, problems)));
        }
        if (validateOnly) {
            return new DatasetChange(name, file, "valid", actionNames(), changes.state());
        }
        Optional<DatasetSpec> previous = current(name);
        List<DatasetActions> applied = new ArrayList<>();
        for (DatasetActions action : actions) {
            try {
                action.apply(spec);
                applied.add(action);
            } catch (RuntimeException e) {
                String undone = undo(applied, previous, spec);
                LOG.warn("dataset {} not applied: action {} failed: {}; {}", name, name(action), e.getMessage(),
                        undone);
                throw new ApiException(HttpStatus.BAD_GATEWAY, "Dataset action failed", file + ": action "
                        + name(action) + " failed: " + e.getMessage() + "; the file was not written; " + undone);
            }
        }
        files.write(name, yaml);
        RestartState restart = changes.check();
        LOG.info("dataset {} applied and written to {} ({} actions); {}", name, file, applied.size(),
                restart.state());
        return new DatasetChange(name, file, "applied", actionNames(), restart);
    }

    /** Removes dataset {@code name}: its actions' work, then its file. */
    public synchronized DatasetChange delete(String name) {
        checkName(name);
        String file = DatasetFiles.fileName(name);
        String text = files.read(name).orElseThrow(() -> notFound(name));
        Optional<DatasetSpec> spec;
        try {
            spec = Optional.of(parse(name, text));
        } catch (InvalidDatasetException e) {
            // A file that never was a valid specification carried nothing the actions could undo.
            spec = Optional.empty();
        }
        if (spec.isPresent() && enrichmentInputs.contains(spec.get().silver().topic())) {
            throw new ApiException(HttpStatus.CONFLICT, "Dataset in use", file + ": its silver topic "
                    + spec.get().silver().topic() + " is an input of the order enrichment (reference tables "
                    + "customers, products, exchange_rates); deleting it would leave orders unenriched. Change "
                    + "the specification instead.");
        }
        if (spec.isPresent()) {
            for (DatasetActions action : actions) {
                try {
                    action.remove(spec.get());
                } catch (RuntimeException e) {
                    LOG.warn("dataset {} not deleted: action {} failed to remove it: {}", name, name(action),
                            e.getMessage());
                    throw new ApiException(HttpStatus.BAD_GATEWAY, "Dataset action failed", file + ": action "
                            + name(action) + " failed to remove it: " + e.getMessage() + "; the file was kept, "
                            + "delete again to retry");
                }
            }
        }
        files.delete(name);
        RestartState restart = changes.check();
        LOG.info("dataset {} removed and {} deleted; {}", name, file, restart.state());
        return new DatasetChange(name, file, "deleted", actionNames(), restart);
    }

    /** Puts back what the actions in {@code applied} did for {@code spec}; says what it did, for the answer. */
    private String undo(List<DatasetActions> applied, Optional<DatasetSpec> previous, DatasetSpec spec) {
        if (applied.isEmpty()) {
            return "no action had applied it";
        }
        List<String> failed = new ArrayList<>();
        for (int i = applied.size() - 1; i >= 0; i--) {
            DatasetActions action = applied.get(i);
            try {
                if (previous.isPresent()) {
                    action.apply(previous.get());
                } else {
                    action.remove(spec);
                }
            } catch (RuntimeException e) {
                failed.add(name(action) + " (" + e.getMessage() + ")");
            }
        }
        String what = previous.isPresent() ? "the previous specification applied again by " : "removed again by ";
        List<String> names = applied.stream().map(DatasetService::name).toList();
        return failed.isEmpty() ? what + String.join(", ", names)
                : what + String.join(", ", names) + " except " + String.join(", ", failed) + ": PUT again to retry";
    }

    /** The dataset's current specification; empty when it has none or an invalid one. */
    private Optional<DatasetSpec> current(String name) {
        try {
            return files.read(name).map(text -> parse(name, text));
        } catch (InvalidDatasetException e) {
            return Optional.empty();
        }
    }

    /** Two datasets must not write the same silver topic: the second would overwrite the first's records. */
    private void checkUnique(DatasetSpec spec) {
        for (String other : files.names()) {
            if (other.equals(spec.name())) {
                continue;
            }
            Optional<DatasetSpec> theirs = current(other);
            if (theirs.isPresent() && theirs.get().silver().topic().equals(spec.silver().topic())) {
                String message = DatasetFiles.fileName(spec.name()) + ": silver.topic: " + spec.silver().topic()
                        + " is already the silver topic of dataset " + other;
                throw new ApiException(HttpStatus.CONFLICT, "Dataset conflict", message,
                        List.of(new Problem.FieldError("silver.topic", List.of(message))));
            }
        }
    }

    /** Parsed as the topology reads it at start, so errors name the file as they would then. */
    private DatasetSpec parse(String name, String text) {
        return parser.parse(directory.path().resolve(DatasetFiles.fileName(name)).toString(), text);
    }

    /** The YAML as a JSON tree; null when it is not a YAML mapping. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> tree(String text) {
        try {
            Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
            return loaded instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private List<String> actionNames() {
        return actions.stream().map(DatasetService::name).toList();
    }

    /** An action's class name, without the suffix of a Micronaut proxy. */
    private static String name(DatasetActions action) {
        String simple = action.getClass().getSimpleName();
        int proxy = simple.indexOf('$');
        return proxy > 0 ? simple.substring(0, proxy) : simple;
    }

    private static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid dataset name", "name: '" + sanitized(name)
                    + "' is not a dataset name: a lower-case letter, then up to 62 lower-case letters, digits or _",
                    List.of(new Problem.FieldError("name", List.of("must match [a-z][a-z0-9_]{0,62}"))));
        }
    }

    private static String sanitized(String name) {
        String cut = name.length() > 70 ? name.substring(0, 70) + "..." : name;
        return cut.replaceAll("[\\p{Cntrl}\\p{Cf}]", "?");
    }

    private static ApiException notFound(String name) {
        return new ApiException(HttpStatus.NOT_FOUND, "No such dataset", "no dataset '" + name + "': there is no "
                + DatasetFiles.fileName(name) + " in the dataset directory");
    }

    /** The directory could not be read or written: the answer says which file and why. */
    static ApiException ioProblem(UncheckedIOException e) {
        return new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "Dataset directory error", e.getMessage());
    }
}
