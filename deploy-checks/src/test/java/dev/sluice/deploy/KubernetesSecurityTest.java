package dev.sluice.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.sluice.deploy.NetworkPolicies.Pod;
import dev.sluice.app.failure.Stage;

/**
 * The Kubernetes manifests are closed by default (docs/security.md), checked on what kustomize builds from the base
 * and each overlay: the brokers authenticate every client and authorize by ACL; every component that talks to
 * Kafka logs in as its own KafkaUser, from the user's Secret, and that user may do what the component does and no
 * more; NetworkPolicies deny everything but the platform's data flows; Connect workers resolve only the secrets
 * connectors use and let them override only what they need; pods carry no API token they do not use; and input
 * topics cannot get more partitions on a running cluster without an explicit flag. There is no cluster here: what
 * the API server, the operator and the network plugin do with these resources is not run.
 */
class KubernetesSecurityTest {

    private static final StreamsApp APP = new StreamsApp();
    private static final String REPARTITION_FLAG = "sluice.dev/allow-repartition";
    /** Where Strimzi mounts the Secrets of a KafkaConnect's password authentication. */
    private static final String STRIMZI_PASSWORD_MOUNT = "/opt/kafka/connect-password";
    private static final Set<String> OVERRIDE_PREFIXES = Set.of("consumer.override.", "producer.override.",
            "admin.override.");

    static List<String> kustomizations() {
        return KubernetesManifestsTest.kustomizations();
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void brokersAuthenticateEveryListenerAndAuthorizeByAcl(String dir) {
        Kustomize.Output out = KubernetesManifestsTest.built(dir);
        Problems problems = new Problems();
        for (Map<String, Object> kafka : out.ofKind("Kafka")) {
            for (Map<String, Object> listener : Tree.maps(kafka, "spec", "kafka", "listeners")) {
                String where = Tree.id(kafka) + " listener " + Tree.text(listener, "name");
                String authentication = String.valueOf(Tree.text(listener, "authentication", "type"));
                problems.check(Set.of("scram-sha-512", "tls").contains(authentication), where, "needs "
                        + "authentication scram-sha-512 or tls: without it any pod can read and write every topic");
                problems.check(!Tree.list(listener, "networkPolicyPeers").isEmpty(), where,
                        "needs networkPolicyPeers: Strimzi opens the port to every pod otherwise");
            }
            problems.check("simple".equals(Tree.text(kafka, "spec", "kafka", "authorization", "type")), Tree.id(kafka),
                    "spec.kafka.authorization.type must be simple: the users' ACLs are not enforced otherwise");
        }
        problems.assertNone(dir);
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void kafkaUsersHaveNoWildcards(String dir) {
        Kustomize.Output out = KubernetesManifestsTest.built(dir);
        Problems problems = new Problems();
        Set<String> kafkas = names(out.ofKind("Kafka"));
        for (Map<String, Object> user : out.ofKind("KafkaUser")) {
            String where = Tree.id(user);
            problems.check(kafkas.contains(Tree.text(user, "metadata", "labels", "strimzi.io/cluster")), where,
                    "label strimzi.io/cluster names no Kafka " + kafkas);
            problems.check("scram-sha-512".equals(Tree.text(user, "spec", "authentication", "type")), where,
                    "authentication must be scram-sha-512, as the listeners");
            problems.check("simple".equals(Tree.text(user, "spec", "authorization", "type")), where,
                    "needs ACLs (authorization simple)");
            for (Map<String, Object> acl : new KafkaAcls(user).all()) {
                String name = String.valueOf(Tree.text(acl, "resource", "name"));
                String type = Tree.text(acl, "resource", "type");
                problems.check(!"cluster".equals(type), where, "an ACL on the cluster: no component needs one");
                problems.check(!name.equals("*") && !name.isEmpty() && !name.equals("null"), where, "ACL on every "
                        + type + " (" + name + "): name the resources, or their prefix");
                problems.check(!KafkaAcls.operations(acl).contains("All"), where, "ACL with operation All on " + type
                        + " " + name + ": list the operations");
            }
        }
        problems.assertNone(dir);
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void streamsAppLogsInAsItsUserWhichMayDoWhatItDoes(String dir) {
        Kustomize.Output out = KubernetesManifestsTest.built(dir);
        Problems problems = new Problems();
        for (Map<String, Object> workload : KubernetesManifestsTest.streamsAppWorkloads(out)) {
            String where = Tree.id(workload);
            Map<String, Object> container = KubernetesManifestsTest.streamsAppContainer(workload);
            Map<String, String> env = KubernetesManifestsTest.environment(out, container);
            Map<String, Object> listener = listenerOf(out, APP.kafkaClientSetting(env, "bootstrap.servers"));
            problems.check(!listener.isEmpty(), where, "bootstrap servers name no listener of a Kafka here");
            problems.check(protocolOf(listener).equals(APP.kafkaClientSetting(env, "security.protocol")), where,
                    "kafka.security.protocol is " + APP.kafkaClientSetting(env, "security.protocol") + ", the "
                            + "listener needs " + protocolOf(listener));
            problems.check("SCRAM-SHA-512".equals(APP.kafkaClientSetting(env, "sasl.mechanism")), where,
                    "kafka.sasl.mechanism must be SCRAM-SHA-512");
            Optional<Map<String, Object>> user = userOfSecretVariable(out, container,
                    "sasl.jaas.config", problems, where);
            problems.check("secret".equals(APP.kafkaClientSetting(env, "sasl.jaas.config")), where,
                    "kafka.sasl.jaas.config is not read from the KafkaUser's Secret");
            if (user.isEmpty()) {
                continue;
            }
            KafkaAcls acls = new KafkaAcls(user.get());
            String id = Tree.id(user.get());
            String application = APP.applicationId(env);
            List<String> deadLetters = new ArrayList<>();
            for (Stage stage : Stage.values()) {
                deadLetters.add(stage.topic());
            }
            for (String topic : APP.inputTopics(env)) {
                // Write: a redrive of dead letters re-produces them into their bronze topics (docs/dlq.md).
                requires(acls, id, "topic", topic, List.of("Read", "Write", "Describe", "Create"), problems);
            }
            requires(acls, id, "topic", "sluice.replays", List.of("Read", "Write", "Describe", "Create"), problems);
            requires(acls, id, "transactionalId", application + "-redrive", List.of("Write", "Describe"), problems);
            for (String topic : APP.outputTopics(env)) {
                requires(acls, id, "topic", topic, List.of("Write", "Read", "Describe", "Create"), problems);
            }
            for (String topic : deadLetters) {
                requires(acls, id, "topic", topic, List.of("Write", "Read", "Describe", "Create"), problems);
            }
            requires(acls, id, "topic", application + "-store-changelog", List.of("Create", "Read", "Write",
                    "Describe", "Delete"), problems);
            requires(acls, id, "group", application, List.of("Read"), problems);
            requires(acls, id, "transactionalId", application + "-0-1", List.of("Write", "Describe"), problems);
            problems.check(!acls.allows("topic", "sluice-connect-configs", "Read"), id,
                    "may read Connect's config topic: streams-app has no business there");
        }
        problems.assertNone(dir);
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void connectLogsInAsItsUserWhichMayDoWhatItsConnectorsDo(String dir) {
        Kustomize.Output out = KubernetesManifestsTest.built(dir);
        Problems problems = new Problems();
        for (Map<String, Object> connect : out.ofKind("KafkaConnect")) {
            String where = Tree.id(connect);
            Map<String, Object> listener = listenerOf(out, Tree.text(connect, "spec", "bootstrapServers"));
            String username = Tree.text(connect, "spec", "authentication", "username");
            problems.check(Tree.text(listener, "authentication", "type") != null && Tree.text(listener,
                    "authentication", "type").equals(Tree.text(connect, "spec", "authentication", "type")), where,
                    "spec.authentication.type must be the listener's " + Tree.text(listener, "authentication", "type"));
            problems.check(String.valueOf(username).equals(Tree.text(connect, "spec", "authentication",
                    "passwordSecret", "secretName")), where, "passwordSecret must be the Secret of user " + username);
            Optional<Map<String, Object>> user = out.find("KafkaUser", String.valueOf(username));
            problems.check(user.isPresent(), where, "authentication.username " + username + " is no KafkaUser");
            if (user.isEmpty()) {
                continue;
            }
            KafkaAcls acls = new KafkaAcls(user.get());
            String id = Tree.id(user.get());
            requires(acls, id, "group", Tree.text(connect, "spec", "groupId"), List.of("Read"), problems);
            for (String field : List.of("configStorageTopicName", "offsetStorageTopicName", "statusStorageTopicName")) {
                requires(acls, id, "topic", Tree.text(connect, "spec", field), List.of("Read", "Write", "Describe",
                        "Create"), problems);
            }
            String cluster = Tree.text(connect, "metadata", "name");
            for (Map<String, Object> connector : out.ofKind("KafkaConnector")) {
                if (!cluster.equals(Tree.text(connector, "metadata", "labels", "strimzi.io/cluster"))) {
                    continue;
                }
                Map<String, String> config = KubernetesManifestsTest.connectorConfig(connector);
                String name = Tree.text(connector, "metadata", "name");
                for (String topic : Templates.sourceTopics(config)) {
                    requires(acls, id, "topic", topic, List.of("Write", "Describe", "Create"), problems);
                }
                if (config.containsKey("topic.heartbeat.prefix")) {
                    requires(acls, id, "topic", config.get("topic.heartbeat.prefix") + "." + config.get(
                            "topic.prefix"), List.of("Write", "Describe", "Create"), problems);
                }
                Set<String> read = Templates.sinkTopics(config);
                for (String topic : read) {
                    requires(acls, id, "topic", topic, List.of("Read", "Describe"), problems);
                }
                if (!read.isEmpty()) {
                    requires(acls, id, "group", "connect-" + name, List.of("Read"), problems);
                }
                String deadLetters = config.get("errors.deadletterqueue.topic.name");
                if (deadLetters != null) {
                    requires(acls, id, "topic", deadLetters, List.of("Write", "Describe", "Create"), problems);
                }
                if (config.get("kafka.bootstrap.servers") != null) {
                    // The sink's own admin client logs in like the worker.
                    problems.check(protocolOf(listener).equals(config.get("kafka.admin.security.protocol"))
                            && "SCRAM-SHA-512".equals(config.get("kafka.admin.sasl.mechanism"))
                            && config.get("kafka.admin.sasl.jaas.config") != null, Tree.id(connector),
                            "kafka.bootstrap.servers needs kafka.admin.security.protocol " + protocolOf(listener)
                                    + ", kafka.admin.sasl.mechanism SCRAM-SHA-512 and kafka.admin.sasl.jaas.config");
                    for (String variable : Templates.envReferences(Map.of("jaas", String.valueOf(config.get(
                            "kafka.admin.sasl.jaas.config"))))) {
                        Map<String, Object> env = Tree.maps(connect, "spec", "template", "connectContainer", "env")
                                .stream().filter(e -> variable.equals(Tree.text(e, "name"))).findFirst()
                                .orElse(Map.of());
                        problems.check(username.equals(Tree.text(env, "valueFrom", "secretKeyRef", "name"))
                                && "sasl.jaas.config".equals(Tree.text(env, "valueFrom", "secretKeyRef", "key")),
                                Tree.id(connector), "${env:" + variable + "} must be key sasl.jaas.config of Secret "
                                        + username);
                    }
                }
            }
        }
        problems.assertNone(dir);
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void theRegistryNeedsNoKafka(String dir) {
        Kustomize.Output out = KubernetesManifestsTest.built(dir);
        Problems problems = new Problems();
        NetworkPolicies policies = new NetworkPolicies(out);
        Pod broker = broker(out);
        for (Map<String, Object> registry : registries(out)) {
            for (Map<String, Object> container : KubernetesManifestsTest.containers(registry)) {
                Tree.maps(container, "env").forEach(e -> problems.check(!String.valueOf(Tree.text(e, "value"))
                        .contains("-kafka-bootstrap"), Tree.id(registry), "reaches Kafka (" + Tree.text(e, "name")
                        + "): it would need a KafkaUser of its own"));
            }
            problems.check(!policies.allows(pod(registry), broker, 9092), Tree.id(registry),
                    "may connect to the brokers, which it never needs");
            problems.check(policies.allowsOutside(pod(registry), 5432), Tree.id(registry),
                    "cannot reach PostgreSQL (5432), where its schemas are");
        }
        problems.assertNone(dir);
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void networkPoliciesDenyByDefaultAndAllowTheDataFlows(String dir) {
        Kustomize.Output out = KubernetesManifestsTest.built(dir);
        Problems problems = new Problems();
        NetworkPolicies policies = new NetworkPolicies(out);
        boolean denyAll = out.ofKind("NetworkPolicy").stream().anyMatch(p -> Tree.map(p, "spec", "podSelector")
                .isEmpty() && Tree.list(p, "spec", "policyTypes").containsAll(List.of("Ingress", "Egress"))
                && Tree.list(p, "spec", "ingress").isEmpty() && Tree.list(p, "spec", "egress").isEmpty());
        problems.check(denyAll, dir, "no default-deny NetworkPolicy (podSelector {}, Ingress and Egress, no rules)");
        boolean dns = out.ofKind("NetworkPolicy").stream().anyMatch(p -> Tree.map(p, "spec", "podSelector").isEmpty()
                && Tree.maps(p, "spec", "egress").stream().anyMatch(rule -> Tree.maps(rule, "ports").stream()
                        .anyMatch(port -> "53".equals(Tree.text(port, "port")) && "UDP".equals(Tree.text(port,
                                "protocol")))
                        && Tree.maps(rule, "to").stream().anyMatch(to -> "kube-system".equals(Tree.text(to,
                                "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name")))));
        problems.check(dns, dir, "no policy lets every pod ask kube-system's DNS (UDP 53)");

        Pod broker = broker(out);
        List<Pod> streamsApps = new ArrayList<>();
        KubernetesManifestsTest.streamsAppWorkloads(out).forEach(w -> streamsApps.add(pod(w)));
        List<Pod> connects = new ArrayList<>();
        out.ofKind("KafkaConnect").forEach(c -> connects.add(Pod.of(Tree.id(c), Map.of("strimzi.io/cluster",
                Tree.text(c, "metadata", "name"), "strimzi.io/kind", "KafkaConnect"))));
        List<Pod> registries = new ArrayList<>();
        registries(out).forEach(r -> registries.add(pod(r)));
        Pod outsider = Pod.outside("a client outside the namespace");
        Pod stranger = Pod.of("another pod of the namespace", Map.of("app.kubernetes.io/name", "debug-shell"));
        problems.check(!streamsApps.isEmpty() && !connects.isEmpty() && !registries.isEmpty(), dir,
                "streams-app, Connect and the registry must all be deployed");
        for (Pod app : streamsApps) {
            flow(policies, app, broker, 9092, true, problems);
            flow(policies, app, broker, 9093, true, problems);
            connects.forEach(connect -> flow(policies, app, connect, 8083, true, problems));
            registries.forEach(registry -> flow(policies, app, registry, 8080, true, problems));
            flow(policies, app, app, 8080, true, problems);
            flow(policies, outsider, app, 8080, true, problems);
            // Pods of the namespace are closed outwards too: only those with a policy of their own get out.
            flow(policies, stranger, app, 8080, false, problems);
            problems.check(policies.allowsOutside(app, 443) && policies.allowsOutside(app, 5432), app.name(),
                    "cannot reach S3 (443) or PostgreSQL (5432)");
        }
        for (Pod connect : connects) {
            flow(policies, connect, broker, 9092, true, problems);
            registries.forEach(registry -> flow(policies, connect, registry, 8080, true, problems));
            flow(policies, stranger, connect, 8083, false, problems);
            flow(policies, outsider, connect, 8083, false, problems);
            problems.check(policies.allowsOutside(connect, 5432) && policies.allowsOutside(connect, 443),
                    connect.name(), "cannot reach PostgreSQL (5432) or S3 (443)");
        }
        for (Pod registry : registries) {
            flow(policies, stranger, registry, 8080, false, problems);
            flow(policies, outsider, registry, 8080, false, problems);
        }
        flow(policies, stranger, broker, 9092, false, problems);
        flow(policies, outsider, broker, 9092, false, problems);
        problems.assertNone(dir);
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void podsCarryNoServiceAccountTokenTheyDoNotUse(String dir) {
        Kustomize.Output out = KubernetesManifestsTest.built(dir);
        Problems problems = new Problems();
        for (Map<String, Object> workload : KubernetesManifestsTest.workloads(out)) {
            problems.check("false".equals(Tree.text(workload, "spec", "template", "spec",
                    "automountServiceAccountToken")), Tree.id(workload), "needs automountServiceAccountToken: false "
                            + "(none of the platform's own pods calls the Kubernetes API)");
        }
        problems.assertNone(dir);
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void connectWorkersResolveOnlyWhatConnectorsUse(String dir) {
        Kustomize.Output out = KubernetesManifestsTest.built(dir);
        Problems problems = new Problems();
        for (Map<String, Object> connect : out.ofKind("KafkaConnect")) {
            String cluster = Tree.text(connect, "metadata", "name");
            List<Map<String, String>> configs = new ArrayList<>();
            out.ofKind("KafkaConnector").stream().filter(c -> cluster.equals(Tree.text(c, "metadata", "labels",
                    "strimzi.io/cluster"))).forEach(c -> configs.add(KubernetesManifestsTest.connectorConfig(c)));
            Set<String> env = new TreeSet<>();
            Tree.maps(connect, "spec", "template", "connectContainer", "env").forEach(e -> env.add(Tree.text(e,
                    "name")));
            Map<String, Object> workerConfig = Tree.map(connect, "spec", "config");
            checkWorkerHardening(Tree.id(connect), workerConfig, env, configs, problems);
            // Strimzi's own providers, added after these: any variable and any file, unless narrowed here.
            String strimziEnv = Tree.text(workerConfig, "config.providers.strimzienv.param.allowlist.pattern");
            problems.check(strimziEnv != null && env.stream().noneMatch(v -> Pattern.compile(strimziEnv).matcher(v)
                    .matches()), Tree.id(connect), "config.providers.strimzienv.param.allowlist.pattern must be set "
                            + "and allow none of the Secret variables " + env + " (it is " + strimziEnv + ")");
            String strimziFile = Tree.text(workerConfig, "config.providers.strimzifile.param.allowed.paths");
            // Kafka refuses to start a worker whose allowed path does not exist: Strimzi creates this one when it
            // mounts the authentication's password.
            problems.check(STRIMZI_PASSWORD_MOUNT.equals(strimziFile) && Tree.text(connect, "spec", "authentication",
                    "passwordSecret", "secretName") != null, Tree.id(connect), "config.providers.strimzifile.param"
                            + ".allowed.paths must confine Strimzi's file provider to " + STRIMZI_PASSWORD_MOUNT
                            + ", which spec.authentication.passwordSecret creates (it is " + strimziFile + ")");
        }
        problems.assertNone(dir);
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void inputTopicsCannotGrowOnARunningClusterWithoutTheFlag(String dir) {
        Kustomize.Output out = KubernetesManifestsTest.built(dir);
        Kustomize.Output base = KubernetesManifestsTest.built("k8s/base");
        Problems problems = new Problems();
        Map<String, Object> policy = out.ofKind("ValidatingAdmissionPolicy").stream().filter(p -> Tree.maps(p, "spec",
                "matchConstraints", "resourceRules").stream().anyMatch(rule -> Tree.list(rule, "resources")
                        .contains("kafkatopics") && Tree.list(rule, "operations").contains("UPDATE")))
                .findFirst().orElse(Map.of());
        problems.check(!policy.isEmpty(), dir, "no ValidatingAdmissionPolicy on updates of KafkaTopics");
        Map<String, Object> selector = Tree.map(policy, "spec", "matchConstraints", "objectSelector");
        String expression = String.join(" ", Tree.maps(policy, "spec", "validations").stream()
                .map(v -> String.valueOf(Tree.text(v, "expression"))).toList());
        problems.check(expression.contains("object.spec.partitions <= oldObject.spec.partitions")
                && expression.contains("'" + REPARTITION_FLAG + "'"), Tree.id(policy), "must refuse raised "
                        + "spec.partitions unless the topic is annotated " + REPARTITION_FLAG + "=true");
        String policyName = Tree.text(policy, "metadata", "name");
        problems.check(out.ofKind("ValidatingAdmissionPolicyBinding").stream().anyMatch(b -> String.valueOf(
                policyName).equals(Tree.text(b, "spec", "policyName")) && Tree.list(b, "spec", "validationActions")
                        .contains("Deny")), dir, "no ValidatingAdmissionPolicyBinding with Deny for " + policyName);
        for (Map<String, Object> topic : out.ofKind("KafkaTopic")) {
            Map<String, Object> labels = Tree.map(topic, "metadata", "labels");
            boolean guarded = !policy.isEmpty() && NetworkPolicies.selects(selector, labels);
            problems.check(!"input".equals(Tree.text(labels, "sluice.dev/topic-role")) || guarded, Tree.id(topic),
                    "an input topic the partition guard does not select (" + selector + ")");
            String name = Tree.text(topic, "metadata", "name");
            String basePartitions = base.find("KafkaTopic", name).map(t -> Tree.text(t, "spec", "partitions"))
                    .orElse(null);
            problems.check(basePartitions == null || basePartitions.equals(Tree.text(topic, "spec", "partitions"))
                    || guarded, Tree.id(topic), "the overlay changes its partitions (" + basePartitions + " -> "
                            + Tree.text(topic, "spec", "partitions") + ") but the guard does not select it");
            problems.check(!"true".equals(Tree.text(topic, "metadata", "annotations", REPARTITION_FLAG)),
                    Tree.id(topic), REPARTITION_FLAG + " is a one-time decision on the cluster, not a manifest's");
        }
        for (Map<String, Object> workload : KubernetesManifestsTest.streamsAppWorkloads(out)) {
            Map<String, String> env = KubernetesManifestsTest.environment(out,
                    KubernetesManifestsTest.streamsAppContainer(workload));
            problems.check(!"true".equals(env.get("SLUICE_ALLOW_REPARTITION")), Tree.id(workload),
                    "SLUICE_ALLOW_REPARTITION=true is for one start after a planned reset, not for the manifests");
            problems.check("true".equals(env.get("SLUICE_PARTITIONS_STRICT")), Tree.id(workload),
                    "SLUICE_PARTITIONS_STRICT is not true: streams-app would start on a raised topic");
        }
        problems.assertNone(dir);
    }

    /**
     * A Connect worker's config providers and client override policy: the env provider reads only variables that
     * connectors refer to, any file or directory provider is confined (allowed.paths), and connectors may
     * override only the client settings they use.
     */
    static void checkWorkerHardening(String worker, Map<String, Object> workerConfig, Set<String> workerEnv,
            List<Map<String, String>> connectorConfigs, Problems problems) {
        Set<String> references = new TreeSet<>();
        Set<String> overrides = new TreeSet<>();
        for (Map<String, String> config : connectorConfigs) {
            references.addAll(Templates.envReferences(config));
            config.keySet().forEach(key -> OVERRIDE_PREFIXES.stream().filter(key::startsWith).findFirst()
                    .ifPresent(prefix -> overrides.add(key.substring(prefix.length()))));
        }
        String allow = Tree.text(workerConfig, "config.providers.env.param.allowlist.pattern");
        problems.check(allow != null, worker, "config.providers.env.param.allowlist.pattern is not set: a connector "
                + "could read every variable of the worker");
        if (allow != null) {
            Pattern pattern = Pattern.compile(allow);
            workerEnv.stream().filter(v -> pattern.matcher(v).matches() && !references.contains(v))
                    .forEach(v -> problems.add(worker, "the env provider lets connectors read " + v + ", which none "
                            + "of them uses (allowlist " + allow + ")"));
        }
        Map<String, String> providers = new LinkedHashMap<>();
        workerConfig.forEach((key, value) -> {
            if (key.startsWith("config.providers.") && key.endsWith(".class")) {
                providers.put(key.substring("config.providers.".length(), key.length() - ".class".length()),
                        String.valueOf(value));
            }
        });
        providers.forEach((alias, type) -> {
            if (type.endsWith(".FileConfigProvider") || type.endsWith(".DirectoryConfigProvider")) {
                problems.check(workerConfig.get("config.providers." + alias + ".param.allowed.paths") != null, worker,
                        "config provider " + alias + " reads any file: set config.providers." + alias
                                + ".param.allowed.paths to the secrets directory");
            }
        });
        String policy = Tree.text(workerConfig, "connector.client.config.override.policy");
        problems.check("None".equals(policy) || "Allowlist".equals(policy), worker,
                "connector.client.config.override.policy is " + policy + " (Kafka's default is All): use None, or "
                        + "Allowlist with the settings the connectors override " + overrides);
        if ("None".equals(policy)) {
            problems.check(overrides.isEmpty(), worker, "policy None, but connectors override " + overrides);
        } else if ("Allowlist".equals(policy)) {
            Set<String> allowed = new TreeSet<>();
            for (String item : String.valueOf(Tree.text(workerConfig, "connector.client.config.override.allowlist"))
                    .split(",")) {
                if (!item.isBlank() && !item.equals("null")) {
                    allowed.add(item.strip());
                }
            }
            problems.check(allowed.equals(overrides), worker, "connector.client.config.override.allowlist is "
                    + allowed + ", the connectors override exactly " + overrides);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static void requires(KafkaAcls acls, String user, String type, String name, List<String> operations,
            Problems problems) {
        for (String operation : operations) {
            problems.check(acls.allows(type, name, operation), user, "may not " + operation + " " + type + " "
                    + name);
        }
    }

    private static void flow(NetworkPolicies policies, Pod from, Pod to, int port, boolean allowed,
            Problems problems) {
        problems.check(policies.allows(from, to, port) == allowed, from.name() + " -> " + to.name() + ":" + port,
                allowed ? "is denied by the NetworkPolicies, but the platform needs it"
                        : "is allowed by the NetworkPolicies, but nothing needs it");
    }

    /** The Kafka listener a bootstrap address ({@code <kafka>-kafka-bootstrap:<port>}) names, or empty. */
    private static Map<String, Object> listenerOf(Kustomize.Output out, String bootstrap) {
        String server = String.valueOf(bootstrap).split(",")[0].strip();
        for (Map<String, Object> kafka : out.ofKind("Kafka")) {
            if (server.startsWith(Tree.text(kafka, "metadata", "name") + "-kafka-bootstrap:")) {
                for (Map<String, Object> listener : Tree.maps(kafka, "spec", "kafka", "listeners")) {
                    if (KubernetesManifestsTest.port(server).equals(Tree.text(listener, "port"))) {
                        return listener;
                    }
                }
            }
        }
        return Map.of();
    }

    private static String protocolOf(Map<String, Object> listener) {
        boolean tls = "true".equals(Tree.text(listener, "tls"));
        boolean sasl = String.valueOf(Tree.text(listener, "authentication", "type")).startsWith("scram-sha-");
        return sasl ? (tls ? "SASL_SSL" : "SASL_PLAINTEXT") : (tls ? "SSL" : "PLAINTEXT");
    }

    /** The KafkaUser whose Secret key {@code key} a variable of the container is taken from. */
    private static Optional<Map<String, Object>> userOfSecretVariable(Kustomize.Output out,
            Map<String, Object> container, String key, Problems problems, String where) {
        for (Map<String, Object> env : Tree.maps(container, "env")) {
            if (key.equals(Tree.text(env, "valueFrom", "secretKeyRef", "key"))) {
                String secret = Tree.text(env, "valueFrom", "secretKeyRef", "name");
                Optional<Map<String, Object>> user = out.find("KafkaUser", String.valueOf(secret));
                problems.check(user.isPresent(), where, Tree.text(env, "name") + " comes from Secret " + secret
                        + ", which no KafkaUser of this build owns");
                return user;
            }
        }
        problems.add(where, "no variable takes key " + key + " from a KafkaUser's Secret");
        return Optional.empty();
    }

    private static Pod broker(Kustomize.Output out) {
        String cluster = out.ofKind("Kafka").stream().map(k -> Tree.text(k, "metadata", "name")).findFirst()
                .orElse("none");
        return Pod.of("broker of Kafka/" + cluster, Map.of("strimzi.io/cluster", cluster, "strimzi.io/kind", "Kafka",
                "strimzi.io/broker-role", "true"));
    }

    private static Pod pod(Map<String, Object> workload) {
        return Pod.of(Tree.id(workload), KubernetesManifestsTest.labelsOf(workload));
    }

    private static List<Map<String, Object>> registries(Kustomize.Output out) {
        return KubernetesManifestsTest.workloads(out).stream().filter(w -> KubernetesManifestsTest.containers(w)
                .stream().anyMatch(c -> String.valueOf(Tree.text(c, "image")).startsWith("apicurio/"))).toList();
    }

    private static Set<String> names(List<Map<String, Object>> resources) {
        Set<String> names = new TreeSet<>();
        resources.forEach(r -> names.add(Tree.text(r, "metadata", "name")));
        return names;
    }
}
