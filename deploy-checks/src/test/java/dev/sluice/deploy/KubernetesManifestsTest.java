package dev.sluice.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.sluice.embedded.KafkaBroker;

/**
 * The Kubernetes manifests, k8s/base and every overlay, hold together: what kustomize builds from them refers only
 * to things that exist, among the built resources (Services, ConfigMaps, Secrets, Strimzi clusters, topics) or in
 * the app (the environment variables it reads, the health paths it serves, its port, the topics its topology
 * reads), and the streams-app autoscaler stays within the input partitions. No cluster is needed: the manifests are
 * built by {@link Kustomize}.
 */
class KubernetesManifestsTest {

    private static final String PARTITION_BY_FIELD = "dev.sluice.connect.transforms.PartitionByField";

    private static final StreamsApp APP = new StreamsApp();
    private static final Map<String, Templates.Template> TEMPLATES = Templates.load();
    private static final Map<String, Kustomize.Output> BUILT = new ConcurrentHashMap<>();
    private static final Map<String, Problems> BUILD_PROBLEMS = new ConcurrentHashMap<>();
    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet");
    /** Names of settings that hold credentials: they must come from a Secret. */
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(PASSWORD|SECRET|TOKEN|CREDENTIAL|_KEY$).*");
    private static final Pattern ADDRESS = Pattern.compile("//([A-Za-z0-9.-]+)(?::(\\d+))?");
    private static final String ENV_PROVIDER = "org.apache.kafka.common.config.provider.EnvVarConfigProvider";

    static List<String> kustomizations() {
        List<String> dirs = new ArrayList<>(List.of("k8s/base"));
        try (Stream<Path> overlays = Files.list(Repository.path("k8s/overlays"))) {
            overlays.filter(Files::isDirectory).sorted()
                    .forEach(overlay -> dirs.add(Repository.relative(overlay)));
        } catch (IOException e) {
            throw new UncheckedIOException("k8s/overlays is missing", e);
        }
        return dirs;
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void buildsFromExistingFiles(String dir) {
        built(dir);
        BUILD_PROBLEMS.get(dir).assertNone("kustomize build of " + dir);
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void selectorsMatchPodLabelsAndTargetsExist(String dir) {
        Kustomize.Output out = built(dir);
        Problems problems = new Problems();
        List<Map<String, Object>> workloads = workloads(out);
        for (Map<String, Object> workload : workloads) {
            Map<String, Object> selector = Tree.map(workload, "spec", "selector", "matchLabels");
            problems.check(!selector.isEmpty() && labelsOf(workload).entrySet().containsAll(selector.entrySet()),
                    Tree.id(workload), "selector " + selector + " does not match its pod labels " + labelsOf(workload));
        }
        for (Map<String, Object> service : out.ofKind("Service")) {
            Map<String, Object> selector = Tree.map(service, "spec", "selector");
            if ("ExternalName".equals(Tree.text(service, "spec", "type"))) {
                problems.check(Tree.text(service, "spec", "externalName") != null, Tree.id(service),
                        "ExternalName Service without externalName");
                continue;
            }
            List<Map<String, Object>> selected = workloads.stream()
                    .filter(w -> !selector.isEmpty() && labelsOf(w).entrySet().containsAll(selector.entrySet()))
                    .toList();
            problems.check(!selected.isEmpty(), Tree.id(service), "selector " + selector + " selects no pods");
            for (Map<String, Object> port : Tree.maps(service, "spec", "ports")) {
                Object target = Optional.ofNullable(Tree.at(port, "targetPort")).orElse(Tree.at(port, "port"));
                boolean found = selected.stream().flatMap(w -> containers(w).stream())
                        .flatMap(c -> Tree.maps(c, "ports").stream())
                        .anyMatch(p -> String.valueOf(target).equals(Tree.text(p, "name"))
                                || String.valueOf(target).equals(Tree.text(p, "containerPort")));
                problems.check(found, Tree.id(service), "targetPort " + target + " is no port of the selected pods");
            }
        }
        for (Map<String, Object> set : out.ofKind("StatefulSet")) {
            String serviceName = Tree.text(set, "spec", "serviceName");
            Optional<Map<String, Object>> service = out.find("Service", String.valueOf(serviceName));
            problems.check(service.isPresent(), Tree.id(set), "serviceName " + serviceName + " is no Service");
            service.ifPresent(s -> problems.check("None".equals(Tree.text(s, "spec", "clusterIP"))
                    && labelsOf(set).entrySet().containsAll(Tree.map(s, "spec", "selector").entrySet()),
                    Tree.id(set), "serviceName " + serviceName + " must be a headless Service (clusterIP: None) "
                            + "selecting its pods, which gives each pod its stable DNS name"));
        }
        for (Map<String, Object> budget : out.ofKind("PodDisruptionBudget")) {
            Map<String, Object> selector = Tree.map(budget, "spec", "selector", "matchLabels");
            problems.check(workloads.stream().anyMatch(w -> !selector.isEmpty()
                    && labelsOf(w).entrySet().containsAll(selector.entrySet())), Tree.id(budget),
                    "selector " + selector + " selects no pods");
        }
        for (Map<String, Object> autoscaler : out.ofKind("HorizontalPodAutoscaler")) {
            String kind = Tree.text(autoscaler, "spec", "scaleTargetRef", "kind");
            String name = Tree.text(autoscaler, "spec", "scaleTargetRef", "name");
            Optional<Map<String, Object>> target = out.find(String.valueOf(kind), String.valueOf(name));
            problems.check(target.isPresent(), Tree.id(autoscaler), "scaleTargetRef " + kind + "/" + name
                    + " does not exist");
            target.ifPresent(t -> problems.check(Tree.at(t, "spec", "replicas") == null, Tree.id(t), "sets "
                    + "spec.replicas although " + Tree.id(autoscaler) + " owns the count; every apply would reset it"));
            problems.check(integer(autoscaler, "spec", "minReplicas") <= integer(autoscaler, "spec", "maxReplicas"),
                    Tree.id(autoscaler), "minReplicas is above maxReplicas");
        }
        problems.assertNone(dir);
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void configMapAndSecretReferencesResolve(String dir) {
        Kustomize.Output out = built(dir);
        Problems problems = new Problems();
        // The base names the Secret that each overlay generates; it cannot resolve it on its own.
        boolean secretsResolve = !dir.equals("k8s/base");
        Kustomize.Output withUserSecrets = withUserSecrets(out);
        for (Map<String, Object> resource : out.resources()) {
            checkReferences(withUserSecrets, Tree.id(resource), resource, secretsResolve, problems);
        }
        for (Map<String, Object> workload : workloads(out)) {
            for (Map<String, Object> container : containers(workload)) {
                for (Map<String, Object> env : Tree.maps(container, "env")) {
                    String name = Tree.text(env, "name");
                    problems.check(!SECRET_NAME.matcher(name).matches() || env.get("value") == null, Tree.id(workload),
                            "variable " + name + " holds a credential: take it from a Secret (valueFrom.secretKeyRef)");
                }
            }
        }
        for (Map<String, Object> configMap : out.ofKind("ConfigMap")) {
            Tree.map(configMap, "data").keySet().forEach(key -> problems.check(!SECRET_NAME.matcher(key).matches(),
                    Tree.id(configMap), "key " + key + " looks like a credential: it belongs in a Secret"));
        }
        problems.assertNone(dir);
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void strimziResourcesReferToTheirClusters(String dir) {
        Kustomize.Output out = built(dir);
        Problems problems = new Problems();
        String kafkaVersion = Repository.kafkaVersion();
        Set<String> kafkas = names(out.ofKind("Kafka"));
        Set<String> connects = names(out.ofKind("KafkaConnect"));
        problems.check(!kafkas.isEmpty(), dir, "no Kafka resource");
        for (Map<String, Object> kafka : out.ofKind("Kafka")) {
            problems.check(kafkaVersion.equals(Tree.text(kafka, "spec", "kafka", "version")), Tree.id(kafka),
                    "spec.kafka.version must be the build's Kafka version " + kafkaVersion);
            problems.check(KafkaBroker.TXN_ADD_PARTITION_WAIT_MS.equals(
                            Tree.text(kafka, "spec", "kafka", "config", KafkaBroker.TXN_ADD_PARTITION_WAIT)),
                    Tree.id(kafka), "spec.kafka.config." + KafkaBroker.TXN_ADD_PARTITION_WAIT + " must be "
                            + KafkaBroker.TXN_ADD_PARTITION_WAIT_MS + ", as in the development broker (KafkaBroker)");
            String name = Tree.text(kafka, "metadata", "name");
            List<Map<String, Object>> pools = out.ofKind("KafkaNodePool").stream()
                    .filter(pool -> name.equals(Tree.text(pool, "metadata", "labels", "strimzi.io/cluster"))).toList();
            for (String role : List.of("controller", "broker")) {
                problems.check(pools.stream().anyMatch(pool -> Tree.list(pool, "spec", "roles").contains(role)),
                        Tree.id(kafka), "no KafkaNodePool with role " + role + " (KRaft needs both)");
            }
        }
        for (String kind : List.of("KafkaNodePool", "KafkaTopic")) {
            for (Map<String, Object> resource : out.ofKind(kind)) {
                String cluster = Tree.text(resource, "metadata", "labels", "strimzi.io/cluster");
                problems.check(kafkas.contains(cluster), Tree.id(resource), "label strimzi.io/cluster=" + cluster
                        + " names no Kafka (" + kafkas + ")");
            }
        }
        for (Map<String, Object> topic : out.ofKind("KafkaTopic")) {
            problems.check(integer(topic, "spec", "partitions") > 0, Tree.id(topic), "needs spec.partitions");
        }
        for (Map<String, Object> connect : out.ofKind("KafkaConnect")) {
            problems.check(kafkaVersion.equals(Tree.text(connect, "spec", "version")), Tree.id(connect),
                    "spec.version must be the build's Kafka version " + kafkaVersion);
            for (String field : List.of("groupId", "configStorageTopicName", "offsetStorageTopicName",
                    "statusStorageTopicName", "image")) {
                problems.check(Tree.text(connect, "spec", field) != null, Tree.id(connect), "needs spec." + field);
            }
            String bootstrap = String.valueOf(Tree.text(connect, "spec", "bootstrapServers"));
            for (String server : bootstrap.split(",")) {
                problems.check(strimziAddresses(out).getOrDefault(host(server), Set.of()).contains(port(server)),
                        Tree.id(connect), "bootstrapServers " + server + " is no listener of a Kafka here "
                                + "(<kafka>-kafka-bootstrap:<listener port>)");
            }
            String name = Tree.text(connect, "metadata", "name");
            boolean hasConnectors = out.ofKind("KafkaConnector").stream()
                    .anyMatch(c -> name.equals(Tree.text(c, "metadata", "labels", "strimzi.io/cluster")));
            problems.check(!hasConnectors || "true".equals(Tree.text(connect, "metadata", "annotations",
                    "strimzi.io/use-connector-resources")), Tree.id(connect),
                    "has KafkaConnectors but no annotation strimzi.io/use-connector-resources: \"true\"");
        }
        for (Map<String, Object> connector : out.ofKind("KafkaConnector")) {
            String cluster = Tree.text(connector, "metadata", "labels", "strimzi.io/cluster");
            problems.check(connects.contains(cluster), Tree.id(connector), "label strimzi.io/cluster=" + cluster
                    + " names no KafkaConnect (" + connects + ")");
        }
        problems.assertNone(dir);
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void connectorsAreRenderedFromTheirTemplates(String dir) {
        Kustomize.Output out = built(dir);
        Problems problems = new Problems();
        for (Map<String, Object> connector : out.ofKind("KafkaConnector")) {
            String where = Tree.id(connector);
            String templateName = Tree.text(connector, "metadata", "annotations", "sluice.dev/template");
            Templates.Template template = TEMPLATES.get(String.valueOf(templateName));
            if (template == null) {
                problems.add(where, "annotation sluice.dev/template=" + templateName + " names no template of "
                        + Templates.DIRECTORY + " " + TEMPLATES.keySet());
                continue;
            }
            Map<String, String> config = connectorConfig(connector);
            template.checkRendered(config, problems, where);
            Optional<Map<String, Object>> connect = out.find("KafkaConnect",
                    String.valueOf(Tree.text(connector, "metadata", "labels", "strimzi.io/cluster")));
            if (connect.isEmpty()) {
                continue;
            }
            Map<String, Object> workerConfig = Tree.map(connect.get(), "spec", "config");
            Set<String> workerEnv = new TreeSet<>();
            Tree.maps(connect.get(), "spec", "template", "connectContainer", "env")
                    .forEach(env -> workerEnv.add(Tree.text(env, "name")));
            checkEnvReferences(where, config, workerConfig, workerEnv, Tree.id(connect.get()), problems);
        }
        problems.assertNone(dir);
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void streamsAppReadsItsEnvironmentAndServesItsProbes(String dir) {
        Kustomize.Output out = built(dir);
        Problems problems = new Problems();
        List<Map<String, Object>> apps = streamsAppWorkloads(out);
        problems.check(!apps.isEmpty(), dir, "no workload runs the " + StreamsApp.IMAGE + " image");
        for (Map<String, Object> workload : apps) {
            Map<String, Object> container = streamsAppContainer(workload);
            String where = Tree.id(workload);
            Map<String, String> env = environment(out, container);
            Map<String, String> own = new LinkedHashMap<>(env);
            APP.imageEnvironment().keySet().forEach(own::remove);
            Set<String> references = new TreeSet<>();
            out.ofKind("KafkaConnector").forEach(c -> references.addAll(Templates.envReferences(connectorConfig(c))));
            Set<String> unread = APP.unread(own, expandedOnly(container), references);
            problems.check(unread.isEmpty(), where, "sets variables streams-app does not read: " + unread);
            int port = APP.httpPort(env);
            Set<String> served = APP.servedGetPaths(env);
            Map<String, Integer> ports = new LinkedHashMap<>();
            Tree.maps(container, "ports").forEach(p -> ports.put(Tree.text(p, "name"), integer(p, "containerPort")));
            problems.check(ports.containsValue(port), where, "declares container ports " + ports.values()
                    + " but the app listens on " + port + " (micronaut.server.port with this environment)");
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                Map<String, Object> httpGet = Tree.map(container, probe, "httpGet");
                if (httpGet.isEmpty()) {
                    problems.check(probe.equals("startupProbe"), where, probe + " with httpGet is missing");
                    continue;
                }
                String path = Tree.text(httpGet, "path");
                problems.check(served.contains(path), where, probe + " path " + path + " is not served by the app; "
                        + "it serves " + served);
                String probePort = Tree.text(httpGet, "port");
                Integer resolved = ports.containsKey(probePort) ? ports.get(probePort) : parse(probePort);
                problems.check(resolved != null && resolved == port, where, probe + " port " + probePort
                        + " is not the app's HTTP port " + port);
            }
        }
        problems.assertNone(dir);
    }

    /**
     * The API is closed in every deployment: the token comes from a Secret, never open mode; in prod reads need a
     * token too; every Service in front of streams-app is a host name the app answers.
     */
    @ParameterizedTest
    @MethodSource("kustomizations")
    void theApiNeedsTokensAndAnswersItsServiceNames(String dir) {
        Kustomize.Output out = built(dir);
        Problems problems = new Problems();
        for (Map<String, Object> workload : streamsAppWorkloads(out)) {
            String where = Tree.id(workload);
            Map<String, String> env = environment(out, streamsAppContainer(workload));
            problems.check("secret".equals(env.get("SLUICE_API_TOKEN")), where, "SLUICE_API_TOKEN not from a Secret");
            problems.check(!"true".equalsIgnoreCase(env.getOrDefault("SLUICE_API_OPEN", "")), where,
                    "SLUICE_API_OPEN=true");
            if (dir.endsWith("prod")) {
                problems.check("secret".equals(env.get("SLUICE_API_READ_TOKEN")), where,
                        "reads are not protected: SLUICE_API_READ_TOKEN not from a Secret");
            }
            List<String> allowed = List.of(env.getOrDefault("SLUICE_API_ALLOWED_HOSTS", "").split(","));
            Map<String, Object> labels = Tree.map(workload, "spec", "template", "metadata", "labels");
            for (Map<String, Object> service : out.ofKind("Service")) {
                Map<String, Object> selector = Tree.map(service, "spec", "selector");
                if (selector.isEmpty() || !labels.entrySet().containsAll(selector.entrySet())) {
                    continue;
                }
                String name = Tree.text(service, "metadata", "name");
                problems.check(allowed.contains(name), where, "Service " + name + " is not in SLUICE_API_ALLOWED_HOSTS "
                        + allowed + ": requests through it would be refused");
                problems.check(allowed.contains("*.svc") && allowed.contains("*.svc.cluster.local"), where,
                        "in-cluster names (" + name + ".<namespace>.svc) are not allowed: " + allowed);
            }
        }
        problems.assertNone(dir);
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void autoscalingStaysWithinTheInputPartitions(String dir) {
        Kustomize.Output out = built(dir);
        Problems problems = new Problems();
        Map<String, Map<String, Object>> topics = new TreeMap<>();
        for (Map<String, Object> topic : out.ofKind("KafkaTopic")) {
            topics.put(Optional.ofNullable(Tree.text(topic, "spec", "topicName"))
                    .orElse(Tree.text(topic, "metadata", "name")), topic);
        }
        for (Map<String, Object> workload : streamsAppWorkloads(out)) {
            Map<String, String> env = environment(out, streamsAppContainer(workload));
            Set<Integer> partitions = new TreeSet<>();
            for (String input : APP.inputTopics(env)) {
                Map<String, Object> topic = topics.get(input);
                problems.check(topic != null, Tree.id(workload), "input topic " + input + " has no KafkaTopic: its "
                        + "partitions, which bound the instances, would be whatever creates it first");
                if (topic != null) {
                    partitions.add(integer(topic, "spec", "partitions"));
                }
            }
            problems.check(partitions.size() <= 1, Tree.id(workload), "input topics differ in partitions "
                    + partitions + ": joins need co-partitioned inputs");
            int created = APP.createdTopicPartitions(env);
            problems.check(partitions.isEmpty() || partitions.contains(created), Tree.id(workload),
                    "creates its own topics with " + created + " partitions (sluice.topics.partitions), the input "
                            + "topics have " + partitions);
            int threads = APP.streamThreads(env);
            for (Map<String, Object> autoscaler : out.ofKind("HorizontalPodAutoscaler")) {
                if (!Tree.text(workload, "metadata", "name").equals(Tree.text(autoscaler, "spec", "scaleTargetRef",
                        "name"))) {
                    continue;
                }
                int max = integer(autoscaler, "spec", "maxReplicas");
                int fewest = partitions.stream().mapToInt(Integer::intValue).min().orElse(0);
                problems.check(max * threads <= fewest, Tree.id(autoscaler), "maxReplicas " + max + " x "
                        + threads + " stream thread(s) exceeds the " + fewest + " partitions of the input topics: "
                        + "instances beyond the partitions get no task");
            }
        }
        for (Map<String, Object> connector : out.ofKind("KafkaConnector")) {
            Map<String, String> config = connectorConfig(connector);
            for (String topic : Templates.sourceTopics(config)) {
                Map<String, Object> declared = topics.get(topic);
                problems.check(declared != null, Tree.id(connector), "writes " + topic + ", which has no KafkaTopic");
                String creation = config.get("topic.creation.default.partitions");
                problems.check(declared == null || creation == null || creation.equals(Tree.text(declared, "spec",
                        "partitions")), Tree.id(connector), "topic.creation.default.partitions " + creation
                        + " differs from the " + Tree.text(declared, "spec", "partitions") + " partitions of " + topic);
            }
            for (Map.Entry<String, String> transform : config.entrySet()) {
                if (!transform.getKey().startsWith("transforms.") || !transform.getKey().endsWith(".type")
                        || !PARTITION_BY_FIELD.equals(transform.getValue())) {
                    continue;
                }
                String alias = transform.getKey().substring(0, transform.getKey().length() - ".type".length());
                String placed = config.get(alias + ".partitions");
                for (String topic : Templates.sourceTopics(config)) {
                    Map<String, Object> declared = topics.get(topic);
                    problems.check(declared == null || String.valueOf(placed).equals(Tree.text(declared, "spec",
                            "partitions")), Tree.id(connector), alias + ".partitions " + placed + " differs from the "
                            + (declared == null ? "?" : Tree.text(declared, "spec", "partitions")) + " partitions of "
                            + topic + ": orders and their items would not share a partition");
                }
            }
            // A lake sink reads what the topology writes, or, for the bronze zone, what it reads.
            Set<String> written = APP.outputTopics(Map.of());
            Set<String> read = APP.inputTopics(Map.of());
            for (String topic : Templates.sinkTopics(config)) {
                problems.check(written.contains(topic) || read.contains(topic), Tree.id(connector), "reads " + topic
                        + ", which the topology neither reads nor writes (its topics: " + read + " " + written + ")");
            }
        }
        problems.assertNone(dir);
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void everyLakeZoneHasItsSinkAndStreamsAppCompactsThem(String dir) {
        Kustomize.Output out = built(dir);
        Problems problems = new Problems();
        Map<String, Set<String>> sinks = new TreeMap<>();
        Map<String, String> buckets = new TreeMap<>();
        Map<String, String> nullValues = new TreeMap<>();
        for (Map<String, Object> connector : out.ofKind("KafkaConnector")) {
            Map<String, String> config = connectorConfig(connector);
            if ("s3-parquet-sink".equals(Tree.text(connector, "metadata", "annotations", "sluice.dev/template"))) {
                sinks.put(config.get("topics.dir"), new TreeSet<>(Templates.sinkTopics(config)));
                buckets.put(config.get("topics.dir"), config.get("s3.bucket.name"));
                nullValues.put(config.get("topics.dir"), config.get("behavior.on.null.values"));
            }
        }
        problems.check(Templates.LAKE_NULL_VALUES.equals(nullValues), dir, "behavior.on.null.values by zone is "
                + nullValues + ", expected " + Templates.LAKE_NULL_VALUES
                + ": tombstones of silver and gold are delete markers, not dead letters");
        for (Map<String, Object> workload : streamsAppWorkloads(out)) {
            Map<String, String> env = environment(out, streamsAppContainer(workload));
            APP.lakeZones(env).forEach((zone, topics) -> problems.check(topics.equals(sinks.get(zone)),
                    Tree.id(workload), "zone " + zone + ": its sink writes " + sinks.get(zone) + ", the topology's "
                            + zone + " topics are " + topics));
            problems.check("true".equals(env.get("SLUICE_COMPACTION_ENABLED")), Tree.id(workload),
                    "compaction is off: the lake's closed hours are never compacted");
            problems.check("true".equals(env.get("SLUICE_COMPACTION_CURRENT_STATE_ENABLED")), Tree.id(workload),
                    "current-state snapshots are off: gold has no latest-per-key state in the lake");
            problems.check(APP.retentionZones(env).containsAll(sinks.keySet()), Tree.id(workload),
                    "retention is off or misses a zone the sinks write: " + sinks.keySet() + ", retention covers "
                            + APP.retentionZones(env));
            String bucket = env.getOrDefault("SLUICE_LAKE_BUCKET", "lake");
            buckets.forEach((zone, sinkBucket) -> problems.check(bucket.equals(sinkBucket), Tree.id(workload),
                    "compacts bucket " + bucket + ", the " + zone + " sink writes " + sinkBucket));
        }
        problems.assertNone(dir);
    }

    /**
     * The Iceberg lake's pieces that do not depend on running its sinks here: their control topic is a KafkaTopic
     * (the sinks do not create it) with one partition, deleted by age; streams-app's table maintenance gets the
     * catalog's role and password from the Secret, never from the ConfigMap, and names the catalog database on the
     * postgres Service.
     */
    @ParameterizedTest
    @MethodSource("kustomizations")
    void icebergControlTopicExistsAndMaintenanceLogsInFromTheSecret(String dir) {
        Kustomize.Output out = built(dir);
        Problems problems = new Problems();
        String controlTopic = TEMPLATES.get("iceberg-sink").defaultValue("control.topic");
        Map<String, Object> topic = out.ofKind("KafkaTopic").stream()
                .filter(t -> controlTopic.equals(Tree.text(t, "spec", "topicName"))).findFirst().orElse(Map.of());
        problems.check(!topic.isEmpty(), dir, "no KafkaTopic " + controlTopic + ": Iceberg's sinks do not create "
                + "their control topic");
        if (!topic.isEmpty()) {
            problems.check(integer(topic, "spec", "partitions") == 1, Tree.id(topic), "has "
                    + Tree.text(topic, "spec", "partitions") + " partitions; the control topic has one");
            problems.check("delete".equals(Tree.text(topic, "spec", "config", "cleanup.policy")), Tree.id(topic),
                    "cleanup.policy must be delete");
        }
        for (Map<String, Object> workload : streamsAppWorkloads(out)) {
            Map<String, Object> container = streamsAppContainer(workload);
            Map<String, String> env = environment(out, container);
            for (String name : List.of("SLUICE_ICEBERG_CATALOG_USER", "SLUICE_ICEBERG_CATALOG_PASSWORD")) {
                Map<String, Object> variable = Tree.maps(container, "env").stream()
                        .filter(v -> name.equals(Tree.text(v, "name"))).findFirst().orElse(Map.of());
                String secret = Tree.text(variable, "valueFrom", "secretKeyRef", "name");
                String key = Tree.text(variable, "valueFrom", "secretKeyRef", "key");
                // The base names the Secret each overlay generates; there the key must be one of it.
                boolean resolves = secret != null && key != null && (dir.equals("k8s/base") || out.find("Secret",
                        secret).map(s -> Tree.map(s, "data").containsKey(key)).orElse(false));
                problems.check(resolves, Tree.id(workload), name + " must come from a key of the Secret "
                        + "(secretKeyRef), found " + variable);
            }
            String uri = String.valueOf(env.get("SLUICE_ICEBERG_CATALOG_URI"));
            problems.check(uri.matches("jdbc:postgresql://postgres:5432/iceberg_catalog")
                    && out.find("Service", "postgres").isPresent(), Tree.id(workload), "SLUICE_ICEBERG_CATALOG_URI "
                    + uri + " must name database iceberg_catalog on the postgres Service");
        }
        problems.assertNone(dir);
    }

    /**
     * Failed connector tasks restart themselves: Strimzi's autoRestart on every connector (with its attempts
     * bounded), and streams-app's own restarter off so that the two do not both restart the same task.
     */
    @ParameterizedTest
    @MethodSource("kustomizations")
    void connectorsRestartThemselvesUnderStrimziAlone(String dir) {
        Kustomize.Output out = built(dir);
        Problems problems = new Problems();
        for (Map<String, Object> connector : out.ofKind("KafkaConnector")) {
            Map<String, Object> autoRestart = Tree.map(connector, "spec", "autoRestart");
            problems.check(Boolean.TRUE.equals(autoRestart.get("enabled")), Tree.id(connector),
                    "spec.autoRestart.enabled is not true: a failed task stays FAILED until someone restarts it");
            problems.check(autoRestart.get("maxRestarts") instanceof Integer max && max > 0, Tree.id(connector),
                    "spec.autoRestart.maxRestarts is " + autoRestart.get("maxRestarts")
                            + ": the restarts must be bounded by a positive number");
        }
        for (Map<String, Object> workload : streamsAppWorkloads(out)) {
            Map<String, String> env = environment(out, streamsAppContainer(workload));
            problems.check("false".equals(env.get("SLUICE_CONNECT_AUTO_RESTART_ENABLED")), Tree.id(workload),
                    "streams-app restarts connector tasks too (SLUICE_CONNECT_AUTO_RESTART_ENABLED is "
                            + env.get("SLUICE_CONNECT_AUTO_RESTART_ENABLED") + "): it would fight Strimzi's autoRestart");
        }
        problems.assertNone(dir);
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void lakeSinksAskTheirWorkersBrokersAboutStaleCheckpoints(String dir) {
        Kustomize.Output out = built(dir);
        Problems problems = new Problems();
        Set<String> brokers = new TreeSet<>();
        out.ofKind("KafkaConnect").forEach(c -> brokers.add(Tree.text(c, "spec", "bootstrapServers")));
        for (Map<String, Object> connector : out.ofKind("KafkaConnector")) {
            if ("s3-parquet-sink".equals(Tree.text(connector, "metadata", "annotations", "sluice.dev/template"))) {
                String servers = connectorConfig(connector).get("kafka.bootstrap.servers");
                problems.check(brokers.contains(servers), Tree.id(connector), "kafka.bootstrap.servers is " + servers
                        + ", not the brokers of a Connect cluster " + brokers + ": stale checkpoints go unnoticed");
            }
        }
        problems.assertNone(dir);
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void addressesNameServicesThatExist(String dir) {
        Kustomize.Output out = built(dir);
        Problems problems = new Problems();
        Map<String, Set<String>> services = strimziAddresses(out);
        for (Map<String, Object> service : out.ofKind("Service")) {
            Set<String> ports = new HashSet<>();
            Tree.maps(service, "spec", "ports").forEach(p -> ports.add(Tree.text(p, "port")));
            // An ExternalName is a DNS alias: any port of the server behind it.
            services.put(Tree.text(service, "metadata", "name"),
                    "ExternalName".equals(Tree.text(service, "spec", "type")) ? Set.of("*") : ports);
        }
        Map<String, String> values = new LinkedHashMap<>();
        out.ofKind("ConfigMap").forEach(cm -> Tree.map(cm, "data").forEach((k, v) -> values.put(Tree.id(cm) + " "
                + k, String.valueOf(v))));
        workloads(out).forEach(w -> containers(w).forEach(c -> Tree.maps(c, "env").forEach(e -> {
            if (e.get("value") != null) {
                values.put(Tree.id(w) + " " + Tree.text(e, "name"), Tree.text(e, "value"));
            }
        })));
        out.ofKind("KafkaConnector").forEach(c -> connectorConfig(c).forEach((k, v) -> values.put(Tree.id(c) + " "
                + k, v)));
        values.forEach((where, value) -> {
            List<String> addresses = new ArrayList<>();
            Matcher url = ADDRESS.matcher(value);
            while (url.find()) {
                addresses.add(url.group(1) + ":" + (url.group(2) == null ? "*" : url.group(2)));
            }
            if (where.toLowerCase(java.util.Locale.ROOT).contains("bootstrap")) {
                addresses.addAll(List.of(value.split(",")));
            }
            for (String address : addresses) {
                String host = host(address);
                if (host.contains(".") || host.contains("$(") || host.equals("localhost")) {
                    continue;
                }
                Set<String> ports = services.get(host);
                problems.check(ports != null, where, "names host " + host + ", which is no Service here "
                        + services.keySet());
                problems.check(ports == null || ports.contains("*") || port(address).equals("*")
                        || ports.contains(port(address)), where, "names " + address + ", but Service " + host
                        + " has ports " + ports);
            }
        });
        problems.assertNone(dir);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("kustomizations")
    void alertRulesAreTheComposeRulesFile(String dir) {
        Kustomize.Output out = built(dir);
        Problems problems = new Problems();
        Optional<Map<String, Object>> rule = out.find("PrometheusRule", "sluice-alerts");
        problems.check(rule.isPresent(), out.where(), "has no PrometheusRule sluice-alerts");
        rule.ifPresent(r -> problems.check(AlertRulesTest.groups().equals(Tree.list(r, "spec", "groups")),
                "k8s/base/monitoring/prometheus-rule.yaml", "spec.groups differ from docker/prometheus/rules.yml's "
                        + "groups: change both alike"));
        problems.assertNone(dir);
    }

    static Kustomize.Output built(String dir) {
        return BUILT.computeIfAbsent(dir, d -> {
            Problems problems = new Problems();
            Kustomize.Output out = Kustomize.build(Repository.path(d), problems);
            BUILD_PROBLEMS.put(d, problems);
            return out;
        });
    }

    static List<Map<String, Object>> workloads(Kustomize.Output out) {
        return out.resources().stream().filter(r -> WORKLOADS.contains(Tree.text(r, "kind"))).toList();
    }

    static Map<String, Object> labelsOf(Map<String, Object> workload) {
        return Tree.map(workload, "spec", "template", "metadata", "labels");
    }

    static List<Map<String, Object>> containers(Map<String, Object> workload) {
        List<Map<String, Object>> containers = new ArrayList<>(Tree.maps(workload, "spec", "template", "spec",
                "containers"));
        containers.addAll(Tree.maps(workload, "spec", "template", "spec", "initContainers"));
        return containers;
    }

    private static boolean isStreamsApp(Map<String, Object> container) {
        String name = Images.name(String.valueOf(Tree.text(container, "image")));
        return name.equals(StreamsApp.IMAGE) || name.endsWith("/" + StreamsApp.IMAGE);
    }

    static List<Map<String, Object>> streamsAppWorkloads(Kustomize.Output out) {
        return workloads(out).stream().filter(w -> containers(w).stream().anyMatch(c -> isStreamsApp(c))).toList();
    }

    static Map<String, Object> streamsAppContainer(Map<String, Object> workload) {
        return containers(workload).stream().filter(c -> isStreamsApp(c)).findFirst().orElseThrow();
    }

    /**
     * The environment a container's process gets: the image's variables, then envFrom ConfigMaps, then env.
     * Secret values are unknown here and read as "secret".
     */
    static Map<String, String> environment(Kustomize.Output out, Map<String, Object> container) {
        Map<String, String> env = new LinkedHashMap<>(APP.imageEnvironment());
        for (Map<String, Object> from : Tree.maps(container, "envFrom")) {
            String configMap = Tree.text(from, "configMapRef", "name");
            if (configMap != null) {
                out.find("ConfigMap", configMap).ifPresent(cm -> Tree.map(cm, "data").forEach((key, value) ->
                        env.put(key, String.valueOf(value))));
            }
            String secret = Tree.text(from, "secretRef", "name");
            if (secret != null) {
                out.find("Secret", secret).ifPresent(s -> Tree.map(s, "data").keySet().forEach(key ->
                        env.put(key, "secret")));
            }
        }
        for (Map<String, Object> variable : Tree.maps(container, "env")) {
            String value = Tree.text(variable, "value");
            String configMapKey = Tree.text(variable, "valueFrom", "configMapKeyRef", "key");
            if (configMapKey != null) {
                value = out.find("ConfigMap", String.valueOf(Tree.text(variable, "valueFrom", "configMapKeyRef",
                        "name"))).map(cm -> Tree.text(cm, "data", configMapKey)).orElse("");
            } else if (value == null) {
                value = "secret";
            }
            env.put(Tree.text(variable, "name"), value);
        }
        return env;
    }

    /** Variables referenced as $(NAME) by other variables of the container. */
    private static Set<String> expandedOnly(Map<String, Object> container) {
        Set<String> names = new HashSet<>();
        Pattern reference = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
        for (Map<String, Object> variable : Tree.maps(container, "env")) {
            Matcher matcher = reference.matcher(String.valueOf(Tree.text(variable, "value")));
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    /**
     * The resources plus the Secret the User Operator creates for each SCRAM KafkaUser: the user's name, keys
     * password and sasl.jaas.config.
     */
    static Kustomize.Output withUserSecrets(Kustomize.Output out) {
        List<Map<String, Object>> resources = new ArrayList<>(out.resources());
        for (Map<String, Object> user : out.ofKind("KafkaUser")) {
            if (String.valueOf(Tree.text(user, "spec", "authentication", "type")).startsWith("scram-sha-")) {
                resources.add(Map.of("apiVersion", "v1", "kind", "Secret", "metadata", Map.of("name",
                        Tree.text(user, "metadata", "name")), "data", Map.of("password", "", "sasl.jaas.config", "")));
            }
        }
        return new Kustomize.Output(out.dir(), resources);
    }

    /** configMapKeyRef, secretKeyRef, configMapRef, secretRef and configMap/secret volumes anywhere in a resource. */
    @SuppressWarnings("unchecked")
    private static void checkReferences(Kustomize.Output out, String where, Object node, boolean secrets,
            Problems problems) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> fields = (Map<String, Object>) map;
            for (String[] reference : new String[][] {{"configMapKeyRef", "ConfigMap", "name"},
                    {"secretKeyRef", "Secret", "name"}, {"configMapRef", "ConfigMap", "name"},
                    {"secretRef", "Secret", "name"}, {"configMap", "ConfigMap", "name"},
                    {"secret", "Secret", "secretName"}}) {
                Map<String, Object> ref = Tree.map(fields, reference[0]);
                String name = Tree.text(ref, reference[2]);
                if (name == null || "true".equals(Tree.text(ref, "optional"))
                        || (!secrets && reference[1].equals("Secret"))) {
                    continue;
                }
                Optional<Map<String, Object>> target = out.find(reference[1], name);
                problems.check(target.isPresent(), where, reference[0] + " names " + reference[1] + " " + name
                        + ", which is not among the resources");
                String key = Tree.text(ref, "key");
                if (key != null && target.isPresent()) {
                    Map<String, Object> data = new LinkedHashMap<>(Tree.map(target.get(), "data"));
                    data.putAll(Tree.map(target.get(), "stringData"));
                    problems.check(data.containsKey(key), where, reference[0] + " names key " + key + " of "
                            + reference[1] + " " + name + ", which has only " + data.keySet());
                }
            }
            fields.values().forEach(value -> checkReferences(out, where, value, secrets, problems));
        } else if (node instanceof List<?> list) {
            list.forEach(item -> checkReferences(out, where, item, secrets, problems));
        }
    }

    /** Services the Strimzi operator creates: {@code <kafka>-kafka-bootstrap} and {@code <connect>-connect-api}. */
    private static Map<String, Set<String>> strimziAddresses(Kustomize.Output out) {
        Map<String, Set<String>> services = new TreeMap<>();
        for (Map<String, Object> kafka : out.ofKind("Kafka")) {
            Set<String> ports = new HashSet<>();
            Tree.maps(kafka, "spec", "kafka", "listeners").forEach(l -> ports.add(Tree.text(l, "port")));
            services.put(Tree.text(kafka, "metadata", "name") + "-kafka-bootstrap", ports);
        }
        for (Map<String, Object> connect : out.ofKind("KafkaConnect")) {
            services.put(Tree.text(connect, "metadata", "name") + "-connect-api", Set.of("8083"));
        }
        return services;
    }

    /** A KafkaConnector's complete configuration, with Strimzi's class and tasksMax as Connect's settings. */
    static Map<String, String> connectorConfig(Map<String, Object> connector) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", Tree.text(connector, "spec", "class"));
        if (Tree.at(connector, "spec", "tasksMax") != null) {
            config.put("tasks.max", Tree.text(connector, "spec", "tasksMax"));
        }
        Tree.map(connector, "spec", "config").forEach((key, value) -> config.put(key, String.valueOf(value)));
        return config;
    }

    /**
     * Every ${env:NAME} of a connector configuration must be readable by the worker: the env config provider
     * configured, NAME in the worker's environment and allowed by its allowlist.
     */
    static void checkEnvReferences(String where, Map<String, String> config, Map<String, Object> workerConfig,
            Set<String> workerEnv, String worker, Problems problems) {
        Set<String> references = Templates.envReferences(config);
        if (references.isEmpty()) {
            return;
        }
        boolean provider = List.of(String.valueOf(Tree.text(workerConfig, "config.providers")).split(","))
                .stream().map(String::strip).toList().contains("env")
                && ENV_PROVIDER.equals(Tree.text(workerConfig, "config.providers.env.class"));
        problems.check(provider, worker, "config.providers must include env (" + ENV_PROVIDER + "): " + where
                + " uses ${env:...}");
        String allow = Tree.text(workerConfig, "config.providers.env.param.allowlist.pattern");
        for (String name : references) {
            problems.check(workerEnv.contains(name), where, "${env:" + name + "} is not in the environment of "
                    + worker + " " + workerEnv);
            problems.check(allow == null || Pattern.compile(allow).matcher(name).matches(), where, "${env:" + name
                    + "} is not allowed by config.providers.env.param.allowlist.pattern " + allow + " of " + worker);
        }
    }

    private static Set<String> names(List<Map<String, Object>> resources) {
        Set<String> names = new TreeSet<>();
        resources.forEach(r -> names.add(Tree.text(r, "metadata", "name")));
        return names;
    }

    static int integer(Object node, String... keys) {
        Integer value = parse(Tree.text(node, keys));
        return value == null ? 0 : value;
    }

    private static Integer parse(String text) {
        try {
            return text == null ? null : Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String host(String address) {
        String server = address.strip();
        int colon = server.lastIndexOf(':');
        return colon < 0 ? server : server.substring(0, colon);
    }

    static String port(String address) {
        String server = address.strip();
        int colon = server.lastIndexOf(':');
        return colon < 0 ? "*" : server.substring(colon + 1);
    }
}
