package dev.sluice.deploy;

import java.util.List;
import java.util.Set;

import dev.sluice.devstack.generator.GeneratorSettings;

/** What the data generator image runs and reads: the launcher's GeneratorMain, configured by GeneratorSettings. */
final class Generator {

    static final String IMAGE = "sluice/generator";
    /** Read by docker/generator/entrypoint.sh, not by the generator. */
    static final Set<String> ENTRYPOINT_VARIABLES = Set.of("JAVA_OPTS");

    private Generator() {
    }

    /** The names of every variable the generator reads, in GeneratorSettings' order. */
    static List<String> variableNames() {
        return GeneratorSettings.VARIABLES.stream().map(GeneratorSettings.Variable::name).toList();
    }

    /** The names of the variables without which the generator does not start. */
    static List<String> requiredVariableNames() {
        return GeneratorSettings.VARIABLES.stream().filter(GeneratorSettings.Variable::required)
                .map(GeneratorSettings.Variable::name).toList();
    }
}
