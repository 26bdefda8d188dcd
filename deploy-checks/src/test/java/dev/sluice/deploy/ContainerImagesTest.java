package dev.sluice.deploy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.sluice.app.Application;
import dev.sluice.devstack.generator.GeneratorMain;

/**
 * The images the manifests run are the ones the build makes: every image of the project that docker-compose.yml
 * or a kustomization uses is built by docker/build-images.sh (or by compose itself), every Dockerfile copies what
 * its Maven context build produces or files that exist, each entrypoint starts its program's main class (the app's
 * Application, the launcher's GeneratorMain), and every Kafka image runs the build's Kafka version.
 */
class ContainerImagesTest {

    private static final Pattern COPY = Pattern.compile("(?m)^COPY\\s+(?:--\\S+\\s+)*(.+)\\s+(\\S+)$");
    /** {@code FROM eclipse-temurin:17.0.20.1_1-jre-noble}: the Java version is group 1. */
    private static final Pattern TEMURIN = Pattern.compile(
            "(?m)^FROM eclipse-temurin:(17(?:\\.[0-9]+)+)_[0-9]+-jre-[a-z]+$");
    /**
     * The newest Temurin 17 JRE release published as images when this was last raised (December 2026): a base
     * image older than this misses security fixes. Raise it with each quarterly Java update.
     */
    private static final String OLDEST_JRE = "17.0.20.1";
    /** What Iceberg's sink needs at run time beyond Iceberg's pom, by group (or group:artifact) prefix. */
    private static final List<String> ICEBERG_RUNTIME = List.of("org.apache.iceberg:", "org.apache.hadoop:",
            "org.apache.hadoop.thirdparty:", "software.amazon.awssdk:", "com.fasterxml.woodstox:",
            "org.codehaus.woodstox:", "org.apache.commons:commons-collections4");
    private static final Pattern MAIN_CLASS = Pattern.compile("\\s(dev\\.sluice\\.[A-Za-z0-9_.]+)\\s");

    @Test
    void everyProjectImageUsedIsBuilt() {
        Problems problems = new Problems();
        Map<String, Object> compose = Repository.yaml(Repository.path("docker-compose.yml"));
        Set<String> built = new TreeSet<>(Images.builtByScript());
        built.addAll(Images.builtByCompose(compose));
        problems.check(built.contains(StreamsApp.IMAGE), "docker/build-images.sh", "does not build "
                + StreamsApp.IMAGE);
        List<String> used = new ArrayList<>();
        Tree.map(compose, "services").values().forEach(service -> used.add(Tree.text(service, "image")));
        Problems ignored = new Problems();
        for (Map<String, Object> resource : Kustomize.build(Repository.path("k8s/base"), ignored).resources()) {
            collectImages(resource, used);
        }
        for (String image : used) {
            String name = image == null ? "" : Images.name(image);
            if (name.startsWith("sluice/")) {
                problems.check(built.contains(name), "image " + image, "is used but built by neither "
                        + "docker/build-images.sh nor docker-compose.yml (built: " + built + ")");
            }
        }
        problems.assertNone("images");
    }

    @Test
    void dockerfilesCopyWhatTheirContextBuildProducesOrWhatExists() {
        Problems problems = new Problems();
        for (String image : List.of("streams-app", "connect", "generator")) {
            Path context = Repository.path("docker/" + image);
            Path dockerfile = context.resolve("Dockerfile");
            String where = Repository.relative(dockerfile);
            if (!Files.isRegularFile(dockerfile)) {
                problems.add(where, "missing");
                continue;
            }
            String pom = Files.isRegularFile(context.resolve("pom.xml")) ? Repository.read(context.resolve("pom.xml"))
                    : "";
            String assembly = Files.isRegularFile(context.resolve("src/assembly/plugins.xml"))
                    ? Repository.read(context.resolve("src/assembly/plugins.xml")) : "";
            problems.check(Repository.read(Repository.path("docker/pom.xml")).contains("<module>" + image
                    + "</module>"), "docker/pom.xml", "does not build the context of " + image);
            Matcher copy = COPY.matcher(Repository.read(dockerfile));
            while (copy.find()) {
                for (String source : copy.group(1).trim().split("\\s+")) {
                    String path = source.replaceAll("/$", "");
                    if (path.startsWith("target/image/")) {
                        // target/image/<dir>: made by the context's pom (copy-dependencies or the assembly).
                        String dir = path.substring("target/image/".length());
                        boolean produced = pom.contains("${project.build.directory}/image/" + dir)
                                || (pom.contains("<finalName>image</finalName>")
                                        && assembly.contains("<outputDirectory>" + dir + "/"));
                        problems.check(produced, where, "copies " + source + ", which "
                                + Repository.relative(context.resolve("pom.xml")) + " does not produce");
                    } else {
                        Path file = context.resolve(path);
                        problems.check(Files.exists(file), where, "copies " + source + ", which does not exist");
                        problems.check(!path.endsWith(".sh") || Files.isExecutable(file), where, source
                                + " must be executable");
                    }
                }
            }
        }
        problems.assertNone("Dockerfiles");
    }

    @Test
    void entrypointStartsTheApplicationMainClass() {
        Problems problems = new Problems();
        Matcher main = MAIN_CLASS.matcher(Repository.read(Repository.path("docker/streams-app/entrypoint.sh")));
        problems.check(main.find() && main.group(1).equals(Application.class.getName()),
                "docker/streams-app/entrypoint.sh", "does not start " + Application.class.getName());
        checkLaunchable(Application.class, problems);
        problems.check(Repository.read(Repository.path("docker/streams-app/Dockerfile"))
                .contains("ENTRYPOINT [\"/app/bin/entrypoint.sh\"]"), "docker/streams-app/Dockerfile",
                "does not start entrypoint.sh");
        problems.assertNone("entrypoint");
    }

    @Test
    void generatorEntrypointStartsItsMainClass() {
        Problems problems = new Problems();
        String entrypoint = Repository.read(Repository.path("docker/generator/entrypoint.sh"));
        Matcher main = MAIN_CLASS.matcher(entrypoint);
        problems.check(main.find() && main.group(1).equals(GeneratorMain.class.getName()),
                "docker/generator/entrypoint.sh", "does not start " + GeneratorMain.class.getName());
        checkLaunchable(GeneratorMain.class, problems);
        problems.check(entrypoint.contains("exec java"), "docker/generator/entrypoint.sh",
                "must exec java, so that SIGTERM reaches the JVM and its shutdown hook stops the generator");
        String dockerfile = Repository.read(Repository.path("docker/generator/Dockerfile"));
        problems.check(dockerfile.contains("ENTRYPOINT [\"/app/bin/entrypoint.sh\"]"), "docker/generator/Dockerfile",
                "does not start entrypoint.sh");
        String pom = Repository.read(Repository.path("docker/generator/pom.xml"));
        problems.check(pom.contains("<artifactId>sluice-devstack</artifactId>"), "docker/generator/pom.xml",
                "does not copy the launcher's jar, which holds " + GeneratorMain.class.getName());
        problems.assertNone("generator entrypoint");
    }

    /**
     * Iceberg's sink is its own plugin directory of the Connect image, with the run-time libraries the embedded
     * worker runs it with (Iceberg's pom leaves S3, Hadoop and the catalog's JDBC driver to the deployment), each at
     * the root pom's version, and the connector class the iceberg-sink template names is in the Iceberg release of
     * the root pom.
     */
    @Test
    void connectImageShipsIcebergsSinkAsItsOwnPluginWithTheEmbeddedWorkersLibraries() {
        Problems problems = new Problems();
        Path pom = Repository.path("docker/connect/pom.xml");
        String where = Repository.relative(pom);
        String version = Poms.property(Repository.path("pom.xml"), "iceberg.version");
        problems.check(version != null, "pom.xml", "declares no <iceberg.version>");
        String connectorClass = Templates.load().get("iceberg-sink").config().get("connector.class");
        try {
            Class<?> connector = Class.forName(connectorClass, false, getClass().getClassLoader());
            String jar = Path.of(connector.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName()
                    .toString();
            problems.check(jar.equals("iceberg-kafka-connect-" + version + ".jar"), "template iceberg-sink",
                    connectorClass + " comes from " + jar + ", not Iceberg " + version + "'s iceberg-kafka-connect");
        } catch (ClassNotFoundException | java.net.URISyntaxException e) {
            problems.add("template iceberg-sink", connectorClass + " is in no jar of the build: " + e);
        }
        Map<String, Poms.Dependency> image = new java.util.TreeMap<>();
        Poms.dependencies(pom).forEach(d -> image.put(d.key(), d));
        List<Poms.Dependency> needed = new ArrayList<>(Poms.dependencies(
                Repository.path("embedded-platform/embedded/pom.xml")).stream()
                .filter(d -> ICEBERG_RUNTIME.stream().anyMatch(prefix -> d.key().startsWith(prefix))).toList());
        // The catalog is Iceberg's JDBC catalog on PostgreSQL; the embedded worker has the driver anyway.
        needed.add(new Poms.Dependency("org.postgresql", "postgresql", null, Set.of()));
        problems.check(needed.stream().anyMatch(d -> d.key().equals("org.apache.iceberg:iceberg-kafka-connect")),
                "embedded-platform/embedded/pom.xml", "no longer runs iceberg-kafka-connect: update this check");
        Poms.DependencySet plugin = Poms.dependencySets(Repository.path("docker/connect/src/assembly/plugins.xml"))
                .stream().filter(set -> "plugins/iceberg-kafka-connect".equals(set.outputDirectory())).findFirst()
                .orElse(null);
        problems.check(plugin != null, "docker/connect/src/assembly/plugins.xml", "has no plugin directory "
                + "plugins/iceberg-kafka-connect");
        for (Poms.Dependency dependency : needed) {
            Poms.Dependency declared = image.get(dependency.key());
            if (declared == null) {
                problems.add(where, "lacks " + dependency.key() + ", which the embedded worker runs Iceberg's sink "
                        + "with");
                continue;
            }
            problems.check(declared.version() == null, where, dependency.key() + " names version "
                    + declared.version() + ": the root pom's must apply");
            problems.check(declared.exclusions().equals(dependency.exclusions()), where, dependency.key()
                    + " excludes " + declared.exclusions() + ", the embedded worker's " + dependency.exclusions());
            problems.check(plugin == null || plugin.includes(dependency.groupId(), dependency.artifactId()),
                    "docker/connect/src/assembly/plugins.xml", "plugins/iceberg-kafka-connect does not take "
                            + dependency.key());
        }
        problems.check(plugin == null || plugin.excludes().containsAll(List.of("org.apache.kafka:*",
                "org.slf4j:*")), "docker/connect/src/assembly/plugins.xml", "plugins/iceberg-kafka-connect must "
                + "leave out Kafka and SLF4J, which the worker provides");
        problems.assertNone("Connect image, Iceberg sink");
    }

    @Test
    void kafkaImagesRunTheBuildsKafkaVersion() {
        Problems problems = new Problems();
        String version = Repository.kafkaVersion();
        Map<String, Object> compose = Repository.yaml(Repository.path("docker-compose.yml"));
        String kafkaImage = Tree.text(compose, "services", "kafka", "image");
        problems.check(("apache/kafka:" + version).equals(kafkaImage), "docker-compose.yml", "service kafka runs "
                + kafkaImage + ", not apache/kafka:" + version);
        String dockerfile = Repository.read(Repository.path("docker/connect/Dockerfile"));
        problems.check(dockerfile.contains("ARG BASE_IMAGE=apache/kafka:" + version + "\n"),
                "docker/connect/Dockerfile", "BASE_IMAGE must default to apache/kafka:" + version);
        String script = Repository.read(Repository.path("docker/build-images.sh"));
        Matcher strimzi = Pattern.compile("quay\\.io/strimzi/kafka:\\S+-kafka-([0-9.]+)").matcher(script);
        problems.check(strimzi.find() && strimzi.group(1).equals(version), "docker/build-images.sh",
                "the Strimzi base image must be quay.io/strimzi/kafka:<strimzi>-kafka-" + version);
        problems.assertNone("Kafka versions");
    }

    @Test
    void javaImagesRunOneCurrentJre() {
        Problems problems = new Problems();
        Set<String> tags = new TreeSet<>();
        for (String image : List.of("streams-app", "generator")) {
            String where = "docker/" + image + "/Dockerfile";
            Matcher from = TEMURIN.matcher(Repository.read(Repository.path(where)));
            boolean found = from.find();
            problems.check(found, where, "does not start FROM eclipse-temurin:<version>_<build>-jre-<os>");
            if (found) {
                tags.add(from.group(0));
                problems.check(compareVersions(from.group(1), OLDEST_JRE) >= 0, where, "runs Java " + from.group(1)
                        + ", older than " + OLDEST_JRE + ": its security fixes are missing");
            }
        }
        problems.check(tags.size() <= 1, "docker/*/Dockerfile", "Java images differ in their JRE: " + tags);
        problems.assertNone("JRE base images");
    }

    /** {@code java <class>} runs it: the JVM looks for a public static void main(String[]). */
    private static void checkLaunchable(Class<?> type, Problems problems) {
        try {
            Method main = type.getMethod("main", String[].class);
            problems.check(Modifier.isStatic(main.getModifiers()) && main.getReturnType() == void.class,
                    type.getName(), "main(String[]) is not static void");
        } catch (NoSuchMethodException e) {
            problems.add(type.getName(), "has no public main(String[])");
        }
    }

    /** Compares dotted version numbers (17.0.20.1 > 17.0.20) part by part. */
    private static int compareVersions(String left, String right) {
        String[] a = left.split("\\.");
        String[] b = right.split("\\.");
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            int x = i < a.length ? Integer.parseInt(a[i]) : 0;
            int y = i < b.length ? Integer.parseInt(b[i]) : 0;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }

    private static void collectImages(Object node, List<String> images) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("image".equals(key) && value instanceof String image) {
                    images.add(image);
                } else {
                    collectImages(value, images);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collectImages(item, images));
        }
    }
}
