package dev.sluice.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.sluice.embedded.KafkaBroker;

/**
 * docker-compose.yml holds together: dependencies exist and are health-checked, every variable has a value in
 * .env.example (and no secret is written inline), mounted files exist, streams-app can run as several replicas
 * and reads every variable it is given, its health check asks a path it serves, the data generator gets the
 * variables it requires and only ones it reads, and the demo connectors render
 * from their templates with credentials the Connect worker can resolve. Syntax and schema are checked by
 * {@code docker-compose --env-file .env.example -f docker-compose.yml config -q} in .ci/run.
 */
class ComposeFileTest {

    private static final StreamsApp APP = new StreamsApp();
    private static final Map<String, Object> COMPOSE = Repository.yaml(Repository.path("docker-compose.yml"));
    private static final Map<String, Object> SERVICES = Tree.map(COMPOSE, "services");
    private static final Pattern VARIABLE = Pattern.compile("(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?][^}]*)?}");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(PASSWORD|SECRET|TOKEN|CREDENTIAL|_KEY$).*");
    private static final Pattern REFERENCE_ONLY = Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*(:?[-?][^}]*)?}");
    /** A network address in a URL; {@code s3://bucket/...} names a bucket, not a host. */
    private static final Pattern ADDRESS = Pattern.compile("(?<!s3:)//([A-Za-z0-9.-]+)(?::(\\d+))?");
    private static final Set<String> LAKE_SINK_TEMPLATES = Set.of("s3-parquet-sink", "iceberg-sink");

    @Test
    void fileFormatIsOneDockerCompose129Reads() {
        String version = Tree.text(COMPOSE, "version");
        Problems problems = new Problems();
        problems.check(version != null && version.matches("3(\\.[0-9])?|2(\\.[0-4])?"), "docker-compose.yml",
                "version '" + version + "' is not one docker-compose 1.29 reads (2.0-2.4, 3.0-3.9)");
        problems.assertNone("docker-compose.yml");
    }

    @Test
    void postgresBoundsTheWalAReplicationSlotMayHoldBack() {
        List<Object> command = Tree.list(SERVICES, "postgres", "command");
        assertEquals(1, command.stream().filter(a -> String.valueOf(a).startsWith("max_slot_wal_keep_size=")).count(),
                "postgres command " + command);
    }

    @Test
    void dependenciesExistAndAreHealthChecked() {
        Problems problems = new Problems();
        SERVICES.forEach((name, service) -> Tree.map(service, "depends_on").forEach((dependency, spec) -> {
            String where = "service " + name;
            problems.check(SERVICES.containsKey(dependency), where, "depends on " + dependency
                    + ", which is no service");
            String condition = Tree.text(spec, "condition");
            if ("service_healthy".equals(condition)) {
                problems.check(!Tree.map(SERVICES.get(dependency), "healthcheck").isEmpty(), where, "waits for "
                        + dependency + " to be healthy, but it has no healthcheck");
            } else if ("service_completed_successfully".equals(condition)) {
                problems.check("no".equals(Tree.text(SERVICES.get(dependency), "restart")), where, "waits for "
                        + dependency + " to complete, but it is not a one-shot (restart: \"no\")");
            } else {
                problems.add(where, "depends on " + dependency + " without a condition: it starts before "
                        + dependency + " answers");
            }
        }));
        SERVICES.forEach((name, service) -> {
            boolean oneShot = "no".equals(Tree.text(service, "restart"));
            problems.check(oneShot || !Tree.map(service, "healthcheck").isEmpty(), "service " + name,
                    "a long-running service needs a healthcheck");
        });
        problems.assertNone("docker-compose.yml");
    }

    @Test
    void prometheusEvaluatesTheSharedRulesAndAlertsThroughAlertmanagerOnTheLoopbackOnly() {
        Problems problems = new Problems();
        for (String name : List.of("prometheus", "alertmanager")) {
            Map<String, Object> service = Tree.map(SERVICES, name);
            problems.check(!service.isEmpty(), "docker-compose.yml", "has no " + name + " service");
            for (Object port : Tree.list(service, "ports")) {
                problems.check(String.valueOf(port).startsWith("127.0.0.1:"), "service " + name, "publishes "
                        + port + " beyond 127.0.0.1");
            }
        }
        List<Object> mounts = Tree.list(SERVICES, "prometheus", "volumes");
        problems.check(mounts.contains("./docker/prometheus/rules.yml:/etc/prometheus/rules.yml:ro"),
                "service prometheus", "does not mount the shared rules file docker/prometheus/rules.yml");
        Map<String, Object> config = Repository.yaml(Repository.path("docker/prometheus/prometheus.yml"));
        problems.check(Tree.list(config, "rule_files").contains("/etc/prometheus/rules.yml"),
                "docker/prometheus/prometheus.yml", "does not load /etc/prometheus/rules.yml");
        String alertmanager = String.valueOf(Tree.at(config, "alerting"));
        problems.check(alertmanager.contains("alertmanager:9093"), "docker/prometheus/prometheus.yml",
                "does not send alerts to the alertmanager service");
        Map<String, Object> scrape = Tree.maps(config, "scrape_configs").get(0);
        problems.check("/prometheus".equals(Tree.text(scrape, "metrics_path")) && String.valueOf(scrape).contains(
                "streams-app"), "docker/prometheus/prometheus.yml", "does not scrape streams-app's /prometheus");
        problems.assertNone("docker-compose.yml monitoring");
    }

    @Test
    void everyVariableHasAValueAndNoSecretIsInline() {
        Problems problems = new Problems();
        Map<String, String> example = envFile(Repository.path(".env.example"));
        Matcher matcher = VARIABLE.matcher(Repository.read(Repository.path("docker-compose.yml")));
        while (matcher.find()) {
            boolean hasDefault = matcher.group(2) != null && matcher.group(2).replace(":", "").startsWith("-");
            problems.check(hasDefault || example.containsKey(matcher.group(1)), "docker-compose.yml", "${"
                    + matcher.group(1) + "} has no default and no value in .env.example");
        }
        SERVICES.forEach((name, service) -> environment(service).forEach((key, value) -> problems.check(
                !SECRET_NAME.matcher(key).matches() || REFERENCE_ONLY.matcher(value).matches(), "service " + name,
                key + " holds a credential: write ${VARIABLE} and put the value in .env")));
        example.forEach((key, value) -> problems.check(!SECRET_NAME.matcher(key).matches()
                || value.startsWith("change-me"), ".env.example", key + " must stay a placeholder (change-me...): "
                + "real secrets go to .env only"));
        problems.assertNone("docker-compose.yml and .env.example");
    }

    @Test
    void volumesAndMountedPathsExist() {
        Problems problems = new Problems();
        Set<String> declared = Tree.map(COMPOSE, "volumes").keySet();
        SERVICES.forEach((name, service) -> {
            for (Object volume : Tree.list(service, "volumes")) {
                String source = String.valueOf(volume).split(":")[0];
                if (source.startsWith(".") || source.startsWith("/")) {
                    problems.check(Files.exists(Repository.root().resolve(source).normalize()), "service " + name,
                            "mounts " + source + ", which does not exist in the repository");
                } else {
                    problems.check(declared.contains(source), "service " + name, "uses volume " + source
                            + ", which is not declared under volumes");
                }
            }
            String context = Tree.text(service, "build", "context");
            if (context != null) {
                problems.check(Files.isRegularFile(Repository.root().resolve(context).resolve("Dockerfile")),
                        "service " + name, "build context " + context + " has no Dockerfile");
            }
        });
        problems.assertNone("docker-compose.yml");
    }

    @Test
    void theBrokerWaitsForTheTransactionsBeforeAddingPartitionsAsTheDevelopmentBrokerDoes() {
        String variable = "KAFKA_" + KafkaBroker.TXN_ADD_PARTITION_WAIT.toUpperCase(Locale.ROOT)
                .replace('.', '_');
        assertEquals(KafkaBroker.TXN_ADD_PARTITION_WAIT_MS,
                Tree.text(Tree.map(SERVICES, "kafka"), "environment", variable),
                "service kafka: " + variable + " (docs/topology.md, OutOfOrderSequenceException)");
    }

    @Test
    void streamsAppRunsAsReplicasReadsItsEnvironmentAndServesItsHealthCheck() {
        Problems problems = new Problems();
        String where = "service streams-app";
        Map<String, Object> service = Tree.map(SERVICES, "streams-app");
        problems.check(!service.isEmpty(), "docker-compose.yml", "no service streams-app");
        problems.check(Images.name(String.valueOf(Tree.text(service, "image"))).equals(StreamsApp.IMAGE), where,
                "image is not " + StreamsApp.IMAGE);
        problems.check(Tree.text(service, "container_name") == null, where, "a container_name allows one replica");
        Map<String, String> env = new LinkedHashMap<>(APP.imageEnvironment());
        env.putAll(environment(service));
        Set<String> references = new java.util.TreeSet<>();
        Map<String, Templates.Template> templates = Templates.load();
        connectorSpecs().forEach((name, spec) -> {
            Templates.Template template = templates.get(String.valueOf(Tree.text(spec, "template")));
            if (template != null) {
                references.addAll(Templates.envReferences(template.render(parameters(spec), new Problems(), name)));
            }
        });
        Set<String> unread = APP.unread(environment(service), Set.of(), references);
        problems.check(unread.isEmpty(), where, "sets variables streams-app does not read: " + unread);
        int port = APP.httpPort(env);
        for (Object mapping : Tree.list(service, "ports")) {
            String[] parts = String.valueOf(mapping).split(":");
            String hostPort = parts.length == 3 ? parts[1] : parts.length == 2 ? parts[0] : "";
            problems.check(hostPort.isEmpty(), where, "port " + mapping + " fixes a host port: a second replica "
                    + "could not start (publish only the container port)");
            problems.check(parts[parts.length - 1].equals(String.valueOf(port)), where, "publishes " + mapping
                    + " but the app listens on " + port);
        }
        List<Object> test = Tree.list(service, "healthcheck", "test");
        String path = test.size() > 2 && String.valueOf(test.get(1)).endsWith("healthcheck.sh")
                ? String.valueOf(test.get(2)) : null;
        problems.check(path != null && APP.servedGetPaths(env).contains(path), where, "healthcheck " + test
                + " must call /app/bin/healthcheck.sh with a path the app serves: " + APP.servedGetPaths(env));
        problems.assertNone("docker-compose.yml");
    }

    @Test
    void everyLakeZoneHasItsSinkAndStreamsAppCompactsThem() {
        Problems problems = new Problems();
        Map<String, Templates.Template> templates = Templates.load();
        Path file = Repository.path("docker/connect-init/connectors.json");
        Map<String, Set<String>> sinks = new java.util.TreeMap<>();
        Map<String, String> nullValues = new java.util.TreeMap<>();
        Tree.map(Repository.json(file), "connectors").forEach((name, spec) -> {
            if (!"s3-parquet-sink".equals(Tree.text(spec, "template"))) {
                return;
            }
            Map<String, String> values = new LinkedHashMap<>();
            Tree.map(spec, "parameters").forEach((key, value) -> values.put(key, String.valueOf(value)));
            Map<String, String> config = templates.get("s3-parquet-sink").render(values, problems, name);
            sinks.put(config.get("topics.dir"), new java.util.TreeSet<>(Templates.sinkTopics(config)));
            nullValues.put(config.get("topics.dir"), config.get("behavior.on.null.values"));
        });
        problems.check(Templates.LAKE_NULL_VALUES.equals(nullValues), Repository.relative(file),
                "behavior.on.null.values by zone is " + nullValues + ", expected " + Templates.LAKE_NULL_VALUES
                        + ": tombstones of silver and gold are delete markers, not dead letters");
        Map<String, String> env = environment(Tree.map(SERVICES, "streams-app"));
        APP.lakeZones(env).forEach((zone, topics) -> problems.check(topics.equals(sinks.get(zone)),
                Repository.relative(file), "zone " + zone + ": its sink writes " + sinks.get(zone) + ", the topology's "
                        + zone + " topics are " + topics));
        problems.check("true".equals(env.get("SLUICE_COMPACTION_ENABLED")), "service streams-app",
                "compaction is off: the lake's closed hours are never compacted");
        problems.check("true".equals(env.get("SLUICE_COMPACTION_CURRENT_STATE_ENABLED")), "service streams-app",
                "current-state snapshots are off: gold has no latest-per-key state in the lake");
        problems.check(APP.retentionZones(env).containsAll(sinks.keySet()), "service streams-app",
                "retention is off or misses a zone the sinks write: " + sinks.keySet() + ", retention covers "
                        + APP.retentionZones(env));
        problems.assertNone("lake zones");
    }

    @Test
    void icebergSinksCoverEveryZoneAfterTheirControlTopicAndStreamsAppMaintainsTheirCatalog() {
        Problems problems = new Problems();
        Map<String, Templates.Template> templates = Templates.load();
        Map<String, Set<String>> tables = new java.util.TreeMap<>();
        Set<String> catalogs = new java.util.TreeSet<>();
        Set<String> users = new java.util.TreeSet<>();
        Set<String> passwords = new java.util.TreeSet<>();
        Set<String> controlTopics = new java.util.TreeSet<>();
        Map<String, String> nullValues = new java.util.TreeMap<>();
        Map<String, String> connectEnv = environment(Tree.map(SERVICES, "connect"));
        connectorSpecs().forEach((name, spec) -> {
            if (!"iceberg-sink".equals(Tree.text(spec, "template"))) {
                return;
            }
            Map<String, String> config = templates.get("iceberg-sink").render(parameters(spec), problems, name);
            Set<String> topics = Templates.sinkTopics(config);
            String zone = topics.isEmpty() ? "" : topics.iterator().next().split("\\.")[0];
            topics.forEach(topic -> problems.check(topic.startsWith(zone + "."), name, "writes " + topic
                    + " beside zone " + zone + ": one sink per zone"));
            problems.check(tables.put(zone, new java.util.TreeSet<>(topics)) == null, name, "a second sink of zone "
                    + zone);
            // Two tasks of one sink can race to create the same namespace on a fresh catalog (docs/lake/iceberg.md).
            problems.check("1".equals(config.get("tasks.max")), name, "tasks.max is " + config.get("tasks.max")
                    + ": more than one task can fail creating a namespace on a fresh catalog");
            catalogs.add(config.get("iceberg.catalog.uri"));
            users.add(composeVariable(connectEnv.get(envName(config.get("iceberg.catalog.jdbc.user")))));
            passwords.add(composeVariable(connectEnv.get(envName(config.get("iceberg.catalog.jdbc.password")))));
            controlTopics.add(config.get("iceberg.control.topic"));
            nullValues.put(zone, config.get("transforms.markers.behavior.on.null.values"));
        });
        // The same tombstone handling as the Parquet sinks: markers where tombstones are data, and never on bronze,
        // whose Debezium rows carry their own __deleted and would all be dead-lettered.
        problems.check(Templates.LAKE_NULL_VALUES.equals(nullValues), "docker/connect-init", "Iceberg sinks' "
                + "behavior.on.null.values by zone is " + nullValues + ", expected " + Templates.LAKE_NULL_VALUES
                + ": tombstones of silver and gold are delete markers, not dead letters or skipped");
        Map<String, String> env = environment(Tree.map(SERVICES, "streams-app"));
        problems.check(!tables.isEmpty(), "docker/connect-init", "no iceberg-sink connector: compose has no Iceberg "
                + "lake");
        APP.lakeZones(env).forEach((zone, topics) -> problems.check(topics.equals(tables.get(zone)),
                "docker/connect-init", "zone " + zone + ": its Iceberg sink writes " + tables.get(zone)
                        + ", the topology's " + zone + " topics are " + topics));
        problems.check("true".equals(env.get("SLUICE_ICEBERG_MAINTENANCE_ENABLED")), "service streams-app",
                "Iceberg maintenance is off: the tables' small files and snapshots are never cleaned up");
        problems.check(catalogs.equals(Set.of(String.valueOf(env.get("SLUICE_ICEBERG_CATALOG_URI")))),
                "service streams-app", "SLUICE_ICEBERG_CATALOG_URI is " + env.get("SLUICE_ICEBERG_CATALOG_URI")
                        + ", the sinks' catalog is " + catalogs);
        problems.check(users.equals(Set.of(String.valueOf(composeVariable(env.get("SLUICE_ICEBERG_CATALOG_USER"))))),
                "service streams-app", "SLUICE_ICEBERG_CATALOG_USER is not the sinks' catalog role " + users);
        problems.check(passwords.equals(Set.of(String.valueOf(composeVariable(
                env.get("SLUICE_ICEBERG_CATALOG_PASSWORD"))))), "service streams-app",
                "SLUICE_ICEBERG_CATALOG_PASSWORD is not a reference to the sinks' catalog password " + passwords);
        // Iceberg's sinks do not create their control topic; a one-shot must have created it before they start.
        connectorFiles().forEach((service, file) -> {
            boolean iceberg = Tree.map(Repository.json(file), "connectors").values().stream()
                    .anyMatch(spec -> "iceberg-sink".equals(Tree.text(spec, "template")));
            if (!iceberg) {
                return;
            }
            Set<String> created = new java.util.TreeSet<>();
            Tree.map(SERVICES, service, "depends_on").forEach((dependency, spec) -> {
                if ("service_completed_successfully".equals(Tree.text(spec, "condition"))) {
                    created.addAll(createdTopics(Tree.list(SERVICES, dependency, "command")));
                }
            });
            problems.check(created.containsAll(controlTopics), "service " + service, "registers Iceberg sinks "
                    + "before their control topics " + controlTopics + " exist (created first: " + created + ")");
        });
        problems.assertNone("Iceberg lake");
    }

    @Test
    void theIcebergCatalogRoleOwnsItsDatabaseAloneWithNoAttributeBeyondLogin() {
        Problems problems = new Problems();
        Path script = Repository.path("docker/postgres/initdb/10-sluice-databases.sh");
        String where = Repository.relative(script);
        String text = Repository.read(script);
        Map<String, String> postgres = environment(Tree.map(SERVICES, "postgres"));
        Matcher required = Pattern.compile("\\$\\{([A-Z_]+):\\?").matcher(text);
        while (required.find()) {
            problems.check(postgres.containsKey(required.group(1)), "service postgres", "does not set "
                    + required.group(1) + ", which " + where + " requires");
        }
        String uri = String.valueOf(environment(Tree.map(SERVICES, "streams-app")).get("SLUICE_ICEBERG_CATALOG_URI"));
        String database = uri.substring(uri.lastIndexOf('/') + 1);
        Matcher owner = Pattern.compile("CREATE DATABASE " + Pattern.quote(database) + " OWNER :\"([a-z_]+)\";")
                .matcher(text);
        if (!owner.find()) {
            problems.add(where, "does not create database " + database + " (SLUICE_ICEBERG_CATALOG_URI " + uri
                    + ") owned by a role of its own");
            problems.assertNone(where);
        }
        Matcher role = Pattern.compile("CREATE ROLE :\"" + owner.group(1) + "\"([^;]*);").matcher(text);
        problems.check(role.find(), where, "does not create the catalog role :\"" + owner.group(1) + "\"");
        Set<String> attributes = Set.of(role.group(1).replaceAll("PASSWORD\\s+:'[a-z_]+'", "").strip()
                .split("\\s+"));
        problems.check(attributes.contains("LOGIN"), where, "the catalog role cannot log in: " + attributes);
        for (String attribute : List.of("SUPERUSER", "CREATEDB", "CREATEROLE", "REPLICATION", "BYPASSRLS")) {
            problems.check(!attributes.contains(attribute), where, "the catalog role has " + attribute
                    + ": it needs nothing but its own database");
        }
        for (String other : List.of("shop", "warehouse", database)) {
            problems.check(text.contains("REVOKE ALL ON DATABASE " + other + " FROM PUBLIC;"), where,
                    "every role may connect to database " + other + ": revoke it from PUBLIC");
        }
        Matcher variable = Pattern.compile("-v " + owner.group(1) + "=\"\\$([A-Z_]+)\"").matcher(text);
        problems.check(variable.find() && composeVariable(postgres.get(variable.group(1))) != null
                && composeVariable(postgres.get(variable.group(1))).equals(composeVariable(environment(Tree.map(
                        SERVICES, "streams-app")).get("SLUICE_ICEBERG_CATALOG_USER"))), "service postgres",
                "creates the catalog role from another variable than streams-app's SLUICE_ICEBERG_CATALOG_USER");
        problems.assertNone(where);
    }

    @Test
    void lakeSinksAskTheWorkersBrokersAboutStaleCheckpoints() {
        Problems problems = new Problems();
        String brokers = environment(Tree.map(SERVICES, "connect")).get("CONNECT_BOOTSTRAP_SERVERS");
        // The Parquet sinks look up stale checkpoints there, the Iceberg sinks exchange their commits there.
        connectorSpecs().forEach((name, spec) -> {
            if (LAKE_SINK_TEMPLATES.contains(Tree.text(spec, "template"))) {
                String servers = Tree.text(spec, "parameters", "kafka.bootstrap.servers");
                problems.check(brokers.equals(servers), name, "kafka.bootstrap.servers is " + servers + ", the "
                        + "worker's brokers are " + brokers);
            }
        });
        problems.assertNone("lake sinks");
    }

    @Test
    void generatorGetsEveryVariableItNeedsAndOnlyOnesItReads() {
        Problems problems = new Problems();
        String where = "service generator";
        Map<String, Object> service = Tree.map(SERVICES, "generator");
        problems.check(!service.isEmpty(), "docker-compose.yml", "no service generator");
        problems.check(Images.name(String.valueOf(Tree.text(service, "image"))).equals(Generator.IMAGE), where,
                "image is not " + Generator.IMAGE);
        List<String> variables = Generator.variableNames();
        Map<String, String> env = environment(service);
        env.keySet().forEach(key -> problems.check(variables.contains(key)
                || Generator.ENTRYPOINT_VARIABLES.contains(key), where, "sets " + key + ", which the generator "
                + "does not read (GeneratorSettings.VARIABLES: " + variables + ")"));
        Generator.requiredVariableNames().forEach(key -> problems.check(env.containsKey(key), where,
                "does not set " + key + ", which the generator requires"));
        for (String dependency : List.of("postgres", "kafka", "registry")) {
            problems.check("service_healthy".equals(Tree.text(service, "depends_on", dependency, "condition")),
                    where, "must wait for " + dependency + " to be healthy");
        }
        List<Object> test = Tree.list(service, "healthcheck", "test");
        problems.check(test.size() > 1 && "/app/bin/healthcheck.sh".equals(String.valueOf(test.get(1))), where,
                "healthcheck " + test + " must call /app/bin/healthcheck.sh");
        Matcher heartbeat = Pattern.compile("(?m)^ENV ([A-Z_]+)=").matcher(
                Repository.read(Repository.path("docker/generator/Dockerfile")));
        problems.check(heartbeat.find() && heartbeat.group(1).equals("SLUICE_GEN_HEARTBEAT_FILE")
                && variables.contains(heartbeat.group(1)), "docker/generator/Dockerfile", "must set "
                + "SLUICE_GEN_HEARTBEAT_FILE, the file healthcheck.sh checks");
        String docs = Repository.read(Repository.path("docs/deploy.md"));
        variables.forEach(key -> problems.check(docs.contains("`" + key + "`"), "docs/deploy.md",
                "does not document the generator's variable " + key));
        problems.assertNone("docker-compose.yml generator");
    }

    @Test
    void demoConnectorsRenderFromTheirTemplatesWithCredentialsTheWorkerResolves() {
        Problems problems = new Problems();
        Map<String, Templates.Template> templates = Templates.load();
        Map<String, Object> connect = Tree.map(SERVICES, "connect");
        Map<String, String> connectEnv = environment(connect);
        Map<String, Object> workerConfig = workerConfig(connectEnv);
        Set<String> inputs = APP.inputTopics(Map.of());
        Set<String> outputs = APP.outputTopics(Map.of());
        connectorSpecs().forEach((name, spec) -> {
            String where = "connector " + name;
            Templates.Template template = templates.get(String.valueOf(Tree.text(spec, "template")));
            if (template == null) {
                problems.add(where, "template " + Tree.text(spec, "template") + " does not exist " + templates.keySet());
                return;
            }
            Map<String, String> config = template.render(parameters(spec), problems, where);
            template.checkRendered(config, problems, where);
            KubernetesManifestsTest.checkEnvReferences(where, config, workerConfig, connectEnv.keySet(),
                    "service connect", problems);
            Templates.sourceTopics(config).forEach(topic -> problems.check(inputs.contains(topic), where,
                    "writes " + topic + ", which the topology does not read " + inputs));
            // A lake sink reads what the topology writes, or, for the bronze zone, what it reads.
            Templates.sinkTopics(config).forEach(topic -> problems.check(outputs.contains(topic)
                    || inputs.contains(topic), where, "reads " + topic + ", which the topology neither reads nor "
                            + "writes " + inputs + " " + outputs));
            config.values().forEach(value -> {
                Matcher address = ADDRESS.matcher(value);
                while (address.find()) {
                    problems.check(SERVICES.containsKey(address.group(1)), where, "names host " + address.group(1)
                            + ", which is no service of docker-compose.yml");
                }
            });
        });
        String command = String.join(" ", Tree.list(Tree.map(SERVICES, "connect-init"), "command").stream()
                .map(String::valueOf).toList());
        problems.check(command.contains("--connectors=/sluice/connectors.json"), "service connect-init",
                "does not register docker/connect-init/connectors.json");
        problems.assertNone("demo connectors");
    }

    @Test
    void addressesNameServices() {
        Problems problems = new Problems();
        SERVICES.forEach((name, service) -> environment(service).forEach((key, value) -> {
            Matcher address = ADDRESS.matcher(value);
            while (address.find()) {
                String host = address.group(1);
                problems.check(host.contains(".") || host.equals("localhost") || SERVICES.containsKey(host),
                        "service " + name, key + " names host " + host + ", which is no service");
            }
            if (key.endsWith("BOOTSTRAP_SERVERS")) {
                for (String server : value.split(",")) {
                    problems.check(SERVICES.containsKey(server.strip().split(":")[0]), "service " + name,
                            key + " names " + server + ", which is no service");
                }
            }
        }));
        problems.assertNone("docker-compose.yml");
    }

    @Test
    void connectAndTheRegistryPublishNoHostPort() {
        Problems problems = new Problems();
        // Connect's REST API runs any installed connector with any configuration, without authentication; the
        // registry takes schemas from anyone. Both are reached inside the compose network only.
        for (String service : List.of("connect", "registry")) {
            problems.check(Tree.list(Tree.map(SERVICES, service), "ports").isEmpty(), "service " + service,
                    "publishes " + Tree.list(Tree.map(SERVICES, service), "ports") + " on the host");
        }
        problems.assertNone("docker-compose.yml ports");
    }

    @Test
    void theConnectWorkerResolvesOnlyWhatConnectorsUse() {
        Problems problems = new Problems();
        Map<String, String> connectEnv = environment(Tree.map(SERVICES, "connect"));
        Map<String, Object> workerConfig = workerConfig(connectEnv);
        Map<String, Templates.Template> templates = Templates.load();
        List<Map<String, String>> configs = new java.util.ArrayList<>();
        connectorSpecs().forEach((name, spec) -> {
            Templates.Template template = templates.get(String.valueOf(Tree.text(spec, "template")));
            if (template != null) {
                configs.add(template.render(parameters(spec), problems, name));
            }
        });
        KubernetesSecurityTest.checkWorkerHardening("service connect", workerConfig, connectEnv.keySet(), configs,
                problems);
        problems.assertNone("docker-compose.yml connect");
    }

    /**
     * Every connector a one-shot of docker-compose.yml registers (its {@code --connectors=/sluice/<file>}, a file of
     * docker/connect-init), by name; a name registered twice is a problem of its own.
     */
    static Map<String, Object> connectorSpecs() {
        Map<String, Object> specs = new java.util.TreeMap<>();
        Problems problems = new Problems();
        connectorFiles().forEach((service, file) -> Tree.map(Repository.json(file), "connectors").forEach(
                (name, spec) -> problems.check(specs.put(name, spec) == null, Repository.relative(file),
                        "connector " + name + " is registered by two files")));
        problems.assertNone("docker/connect-init");
        return specs;
    }

    /** The connectors file each connect-init service registers, by service. */
    private static Map<String, Path> connectorFiles() {
        Map<String, Path> files = new java.util.TreeMap<>();
        SERVICES.forEach((name, service) -> Tree.list(service, "command").stream().map(String::valueOf)
                .filter(argument -> argument.startsWith("--connectors=/sluice/")).forEach(argument -> files.put(
                        name, Repository.path("docker/connect-init/" + argument.substring(
                                "--connectors=/sluice/".length())))));
        return files;
    }

    /** {@code NAME} of a connector setting {@code ${env:NAME}}; null when it is not such a reference. */
    private static String envName(String value) {
        Matcher matcher = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}").matcher(String.valueOf(value));
        return matcher.matches() ? matcher.group(1) : null;
    }

    /** {@code NAME} of a compose value {@code ${NAME...}}; null when it is not one reference. */
    private static String composeVariable(String value) {
        Matcher matcher = VARIABLE.matcher(String.valueOf(value));
        return REFERENCE_ONLY.matcher(String.valueOf(value)).matches() && matcher.find() ? matcher.group(1) : null;
    }

    /** The topics a {@code kafka-topics.sh --create} command makes. */
    private static Set<String> createdTopics(List<Object> command) {
        List<String> arguments = command.stream().map(String::valueOf).toList();
        Set<String> topics = new java.util.TreeSet<>();
        if (arguments.stream().anyMatch(a -> a.endsWith("kafka-topics.sh")) && arguments.contains("--create")) {
            for (int i = 0; i + 1 < arguments.size(); i++) {
                if (arguments.get(i).equals("--topic")) {
                    topics.add(arguments.get(i + 1));
                }
            }
        }
        return topics;
    }

    private static Map<String, String> parameters(Object spec) {
        Map<String, String> values = new LinkedHashMap<>();
        Tree.map(spec, "parameters").forEach((key, value) -> values.put(key, String.valueOf(value)));
        return values;
    }

    /** The worker properties connect-distributed-env.sh makes of the CONNECT_* variables. */
    private static Map<String, Object> workerConfig(Map<String, String> connectEnv) {
        Map<String, Object> workerConfig = new LinkedHashMap<>();
        connectEnv.forEach((key, value) -> {
            if (key.startsWith("CONNECT_")) {
                workerConfig.put(key.substring(8).toLowerCase(Locale.ROOT).replace("___", "-")
                        .replace("__", "\u0001").replace('_', '.').replace('\u0001', '_'), value);
            }
        });
        return workerConfig;
    }

    /** A service's environment as a map (compose allows a mapping or a list of NAME=value). */
    private static Map<String, String> environment(Object service) {
        Map<String, String> env = new LinkedHashMap<>();
        Object value = Tree.at(service, "environment");
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> env.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else {
            for (Object item : Tree.list(service, "environment")) {
                String entry = String.valueOf(item);
                int eq = entry.indexOf('=');
                env.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
            }
        }
        return env;
    }

    private static Map<String, String> envFile(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        Repository.read(file).lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#") && line.contains("="))
                .forEach(line -> values.put(line.substring(0, line.indexOf('=')).strip(),
                        line.substring(line.indexOf('=') + 1).strip()));
        return values;
    }
}
