package dev.sluice.app;

import static com.tngtech.archunit.base.DescribedPredicate.or;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.apache.kafka.streams.processor.api.ContextualFixedKeyProcessor;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.Processor;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import dev.sluice.app.topology.SluiceTopology;

/**
 * Which package of streams-app may depend on which (docs/architecture.md, "Rules and the tests that enforce
 * them"). Checked on the compiled main classes; a rule that breaks names the offending class and dependency.
 */
@AnalyzeClasses(packages = "dev.sluice.app", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** The pipeline: what turns bronze into silver and gold, and what it needs while doing so. */
    private static final String[] PIPELINE = {"dev.sluice.app.topology", "dev.sluice.app.aggregate",
            "dev.sluice.app.enrich", "dev.sluice.app.ingest", "dev.sluice.app.silver", "dev.sluice.app.validate",
            "dev.sluice.app.dlq", "dev.sluice.app.serde", "dev.sluice.app.metrics", "dev.sluice.app.failure",
            "dev.sluice.app.stores"};

    @ArchTest
    static final ArchRule PIPELINE_KNOWS_NO_HTTP_NOR_OPERATIONS_API = noClasses()
            .that().resideInAnyPackage(PIPELINE)
            .should().dependOnClassesThat().resideInAnyPackage("io.micronaut.http..", "io.micronaut.web..",
                    "dev.sluice.app.query..", "dev.sluice.app.status..", "dev.sluice.app.connect..")
            .because("the pipeline must run the same under TopologyTestDriver, a benchmark or another host; the "
                    + "HTTP API (query, status, connect, dead-letter browse and replay) sits on top of it, "
                    + "never inside it");

    /*
     * Kafka's own base classes are named as well as the interfaces: archunit.properties keeps library classes
     * out of the import, so a processor extending ContextualProcessor is known by that superclass only.
     */
    @ArchTest
    static final ArchRule TOPOLOGY_AND_PROCESSORS_KNOW_NO_MICRONAUT = noClasses()
            .that(or(assignableTo(Processor.class), assignableTo(FixedKeyProcessor.class),
                    assignableTo(ContextualProcessor.class), assignableTo(ContextualFixedKeyProcessor.class),
                    assignableTo(SluiceTopology.class)))
            .should().dependOnClassesThat().resideInAPackage("io.micronaut..")
            .because("Micronaut wires the topology (TopologyFactory, settings classes) but the topology and its "
                    + "processors are plain Kafka Streams code, built from values they are given");

    @ArchTest
    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("dev.sluice.app.(**)")
            .should().beFreeOfCycles()
            .because("a cycle makes two packages one in all but name: neither can be understood, tested or "
                    + "moved without the other");
}
