package dev.sluice.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.sluice.app.kafka.PipelineTopics;
import dev.sluice.lake.retention.RetentionSettings;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.MapPropertySource;
import io.micronaut.core.io.service.SoftServiceLoader;
import io.micronaut.core.naming.NameUtils;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.BeanDefinitionReference;
import io.micronaut.inject.ExecutableMethod;
import io.micronaut.management.endpoint.annotation.Endpoint;
import io.micronaut.management.endpoint.annotation.Read;
import io.micronaut.management.endpoint.annotation.Selector;

/**
 * What streams-app reads and serves, taken from the app on the test class path rather than from a list kept by
 * hand: its application.yml, the configuration metadata Micronaut generates for every
 * {@code @ConfigurationProperties} class (the app's and its libraries'), Micronaut's own mapping of environment
 * variables to properties, the Kafka Streams settings micronaut-kafka passes through from
 * {@code kafka.streams.default.*}, the management endpoints compiled into it, and the variables its image's
 * entrypoint script reads.
 */
final class StreamsApp {

    /** Name of the image docker/build-images.sh builds for the app. */
    static final String IMAGE = "sluice/streams-app";

    private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");
    private static final Pattern SCRIPT_VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern DOCKERFILE_ENV = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)");
    private static final String STREAMS_PREFIX = "kafka.streams.default";
    private static final Pattern PROPERTY_PLACEHOLDER = Pattern.compile("\\$\\{([a-z0-9][a-z0-9.\\-]*)[:}]");
    /** Which ${env:NAME} references of connector configs the app may resolve itself (incremental snapshots). */
    private static final String ENV_ALLOWLIST = "sluice.connect.env-allowlist-pattern";

    private final Set<String> propertyNames = new TreeSet<>();
    private final Set<String> kafkaSettings = new TreeSet<>();
    private final Set<String> entrypointVariables = new TreeSet<>();
    private final Map<String, String> imageEnvironment = new LinkedHashMap<>();

    StreamsApp() {
        flatten("", applicationYml(), propertyNames);
        readConfigurationMetadata();
        readValueInjections();
        kafkaSettings.addAll(StreamsConfig.configDef().names());
        for (String prefix : List.of("", StreamsConfig.CONSUMER_PREFIX, StreamsConfig.MAIN_CONSUMER_PREFIX,
                StreamsConfig.RESTORE_CONSUMER_PREFIX, StreamsConfig.GLOBAL_CONSUMER_PREFIX)) {
            ConsumerConfig.configNames().forEach(name -> kafkaSettings.add(prefix + name));
        }
        ProducerConfig.configNames().forEach(name -> kafkaSettings.add(StreamsConfig.PRODUCER_PREFIX + name));
        AdminClientConfig.configNames().forEach(name -> kafkaSettings.add(StreamsConfig.ADMIN_CLIENT_PREFIX + name));
        Matcher variable = SCRIPT_VARIABLE.matcher(Repository.read(Repository.path("docker/streams-app/entrypoint.sh")));
        while (variable.find()) {
            entrypointVariables.add(variable.group(1));
        }
        String dockerfile = Repository.read(Repository.path("docker/streams-app/Dockerfile")).replace("\\\n", " ");
        dockerfile.lines().filter(line -> line.startsWith("ENV ")).forEach(line -> {
            Matcher env = DOCKERFILE_ENV.matcher(line.substring(4));
            while (env.find()) {
                imageEnvironment.put(env.group(1), env.group(2).replace("\"", ""));
            }
        });
    }

    /** The variables the image sets itself (Dockerfile ENV); a container's own variables override them. */
    Map<String, String> imageEnvironment() {
        return imageEnvironment;
    }

    /**
     * The names of {@code variables} that nothing in the app reads. A variable counts as read when Micronaut,
     * given it as an environment variable, resolves a property the app has (a placeholder of application.yml or a
     * property of its configuration metadata) or a Kafka Streams setting to its value; when the image's
     * entrypoint reads it; when the JVM does; when it exists only to be expanded into another variable
     * ({@code expandedOnly}, Kubernetes' {@code $(POD_NAME)}); or when a connector configuration refers to it as
     * {@code ${env:NAME}} ({@code connectorReferences}) and {@code sluice.connect.env-allowlist-pattern} lets the app
     * resolve it (the app reaches the CDC connector's database with the connector's own credentials).
     */
    Set<String> unread(Map<String, String> variables, Set<String> expandedOnly, Set<String> connectorReferences) {
        Map<String, String> markers = new LinkedHashMap<>();
        variables.keySet().forEach(name -> markers.put(name, "<<" + name + ">>"));
        Pattern allowed = envAllowlist(variables);
        Set<String> resolved = new HashSet<>();
        Environment environment = environment(markers);
        try {
            for (String property : propertyNames) {
                environment.getProperty(property, String.class).ifPresent(resolved::add);
            }
            streamsProperties(environment).forEach((key, value) -> {
                if (kafkaSettings.contains(String.valueOf(key))) {
                    resolved.add(String.valueOf(value));
                }
            });
        } finally {
            environment.stop();
        }
        Set<String> unread = new TreeSet<>();
        for (Map.Entry<String, String> marker : markers.entrySet()) {
            String name = marker.getKey();
            boolean read = resolved.stream().anyMatch(value -> value.contains(marker.getValue()))
                    || entrypointVariables.contains(name) || JVM_VARIABLES.contains(name)
                    || expandedOnly.contains(name)
                    || (connectorReferences.contains(name) && allowed.matcher(name).matches());
            if (!read) {
                unread.add(name);
            }
        }
        return unread;
    }

    /** {@code sluice.connect.env-allowlist-pattern} with these variables; matches nothing when it is not set. */
    private static Pattern envAllowlist(Map<String, String> variables) {
        Environment environment = environment(variables);
        try {
            return Pattern.compile(environment.getProperty(ENV_ALLOWLIST, String.class).orElse("(?!)"));
        } finally {
            environment.stop();
        }
    }

    /** The HTTP port the app listens on with these variables. */
    int httpPort(Map<String, String> variables) {
        Environment environment = environment(variables);
        try {
            return environment.getProperty("micronaut.server.port", Integer.class).orElse(8080);
        } finally {
            environment.stop();
        }
    }

    /** Kafka Streams' num.stream.threads with these variables. */
    int streamThreads(Map<String, String> variables) {
        Environment environment = environment(variables);
        try {
            return Integer.parseInt(String.valueOf(streamsProperties(environment)
                    .getOrDefault(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1")));
        } finally {
            environment.stop();
        }
    }

    /** Kafka Streams' application.id with these variables: its group, and the prefix of its internal topics. */
    String applicationId(Map<String, String> variables) {
        Environment environment = environment(variables);
        try {
            return String.valueOf(streamsProperties(environment).get(StreamsConfig.APPLICATION_ID_CONFIG));
        } finally {
            environment.stop();
        }
    }

    /**
     * A Kafka client setting every client of the app gets ({@code kafka.<name>}, e.g. security.protocol) with these
     * variables, or null.
     */
    String kafkaClientSetting(Map<String, String> variables, String name) {
        Environment environment = environment(variables);
        try {
            return environment.getProperty("kafka." + name, String.class).orElse(null);
        } finally {
            environment.stop();
        }
    }

    /** Kafka Streams' state.dir with these variables. */
    String stateDir(Map<String, String> variables) {
        Environment environment = environment(variables);
        try {
            return String.valueOf(streamsProperties(environment).get(StreamsConfig.STATE_DIR_CONFIG));
        } finally {
            environment.stop();
        }
    }

    /** {@code sluice.topics.partitions} with these variables: partitions of the topics the app creates. */
    int createdTopicPartitions(Map<String, String> variables) {
        Environment environment = environment(variables);
        try {
            return environment.getProperty("sluice.topics.partitions", Integer.class)
                    .orElseGet(() -> Integer.parseInt(topicDefaults().getOrDefault("partitions", "3")));
        } finally {
            environment.stop();
        }
    }

    /**
     * The paths a GET is answered on without authentication: the enabled, non-sensitive management endpoints
     * ({@code /health}, {@code /health/liveness}, {@code /prometheus}, ...) under {@code endpoints.all.path}.
     * An endpoint served on another port ({@code endpoints.all.port}) is left out.
     */
    Set<String> servedGetPaths(Map<String, String> variables) {
        Set<String> paths = new TreeSet<>();
        Environment environment = environment(variables);
        try {
            if (environment.getProperty("endpoints.all.port", Integer.class).isPresent()) {
                return paths;
            }
            String base = environment.getProperty("endpoints.all.path", String.class).orElse("/");
            base = base.endsWith("/") ? base : base + "/";
            List<BeanDefinitionReference> references = new ArrayList<>();
            SoftServiceLoader.load(BeanDefinitionReference.class).collectAll(references);
            for (BeanDefinitionReference<?> reference : references) {
                if (!reference.isPresent() || !reference.getAnnotationMetadata().hasStereotype(Endpoint.class)) {
                    continue;
                }
                String id = reference.getAnnotationMetadata().stringValue(Endpoint.class).orElseThrow();
                boolean enabled = setting(environment, id, "enabled").orElse(reference.getAnnotationMetadata()
                        .booleanValue(Endpoint.class, "defaultEnabled").orElse(true));
                boolean sensitive = setting(environment, id, "sensitive").orElse(reference.getAnnotationMetadata()
                        .booleanValue(Endpoint.class, "defaultSensitive").orElse(true));
                if (!enabled || sensitive) {
                    continue;
                }
                BeanDefinition<?> definition = reference.load();
                for (ExecutableMethod<?, ?> method : definition.getExecutableMethods()) {
                    if (!method.hasAnnotation(Read.class)) {
                        continue;
                    }
                    List<Class<?>> selectors = new ArrayList<>();
                    for (var argument : method.getArguments()) {
                        if (argument.getAnnotationMetadata().hasAnnotation(Selector.class)) {
                            selectors.add(argument.getType());
                        }
                    }
                    if (selectors.isEmpty()) {
                        paths.add(base + id);
                    } else if (selectors.size() == 1 && selectors.get(0).isEnum()) {
                        for (Object constant : selectors.get(0).getEnumConstants()) {
                            paths.add(base + id + "/" + constant.toString().toLowerCase(java.util.Locale.ROOT));
                        }
                    }
                }
            }
            return paths;
        } finally {
            environment.stop();
        }
    }

    /**
     * The topics the topology reads and writes with these variables: every String property of
     * {@code sluice.topics} (PipelineTopics), by property name, its default overridden by the configuration.
     */
    Map<String, String> topics(Map<String, String> variables) {
        Map<String, String> topics = new TreeMap<>();
        Environment environment = environment(variables);
        try {
            topicDefaults().forEach((property, fallback) -> {
                if (!property.equals("partitions")) {
                    topics.put(property, environment.getProperty("sluice.topics." + property, String.class)
                            .orElse(fallback));
                }
            });
            return topics;
        } finally {
            environment.stop();
        }
    }

    /** The topics the topology reads: the bronze layer. */
    Set<String> inputTopics(Map<String, String> variables) {
        return new TreeSet<>(topics(variables).values().stream().filter(t -> t.startsWith("bronze.")).toList());
    }

    /**
     * The lake's zones, each the topics its sink should write under {@code topics.dir=<zone>}: bronze (what the
     * topology reads), silver and gold (what it writes, dead letters aside).
     */
    Map<String, Set<String>> lakeZones(Map<String, String> variables) {
        Set<String> outputs = outputTopics(variables);
        Map<String, Set<String>> zones = new TreeMap<>();
        zones.put("bronze", inputTopics(variables));
        zones.put("silver", new TreeSet<>(outputs.stream().filter(t -> t.startsWith("silver.")).toList()));
        zones.put("gold", new TreeSet<>(outputs.stream().filter(t -> t.startsWith("gold.")).toList()));
        return zones;
    }

    /**
     * The lake zones retention keeps a limit for: the defaults and those configured under
     * {@code sluice.compaction.retention.zones}; empty when retention is not enabled.
     */
    Set<String> retentionZones(Map<String, String> variables) {
        Environment environment = environment(variables);
        try {
            if (!environment.getProperty("sluice.compaction.retention.enabled", Boolean.class).orElse(false)) {
                return Set.of();
            }
            Set<String> zones = new TreeSet<>(RetentionSettings.DEFAULT_ZONES.keySet());
            zones.addAll(environment.getProperties("sluice.compaction.retention.zones").keySet());
            return zones;
        } finally {
            environment.stop();
        }
    }

    /** The topics the topology writes: silver, gold and dead letters. */
    Set<String> outputTopics(Map<String, String> variables) {
        return new TreeSet<>(topics(variables).values().stream().filter(t -> !t.startsWith("bronze.")).toList());
    }

    /** The app's configuration with {@code variables} as its process environment, nothing else of the host's. */
    private static Environment environment(Map<String, String> variables) {
        Map<String, Object> values = new LinkedHashMap<>(variables);
        ApplicationContext context = ApplicationContext.builder()
                .deduceEnvironment(false)
                .propertySources(new MapPropertySource("container-environment", values) {
                    @Override
                    public int getOrder() {
                        // Above the real environment of the JVM running the tests.
                        return Integer.MAX_VALUE;
                    }

                    @Override
                    public PropertyConvention getConvention() {
                        return PropertyConvention.ENVIRONMENT_VARIABLE;
                    }
                })
                .build();
        Environment environment = context.getEnvironment();
        environment.start();
        return environment;
    }

    private static Properties streamsProperties(Environment environment) {
        return environment.getProperty(STREAMS_PREFIX, Properties.class).orElseGet(Properties::new);
    }

    private static java.util.Optional<Boolean> setting(Environment environment, String endpoint, String name) {
        return environment.getProperty("endpoints." + endpoint + "." + name, Boolean.class)
                .or(() -> environment.getProperty("endpoints.all." + name, Boolean.class));
    }

    /**
     * Property name (kebab-case) to default of every String or int getter of PipelineTopics. The getters are
     * enumerated by reflection: PipelineTopics offers no list of its properties, and Micronaut binds
     * {@code sluice.topics.*} onto it only inside a started application context, which would start the app's beans.
     */
    private static Map<String, String> topicDefaults() {
        Map<String, String> defaults = new TreeMap<>();
        PipelineTopics topics = new PipelineTopics();
        for (Method method : PipelineTopics.class.getMethods()) {
            boolean getter = method.getName().startsWith("get") && method.getParameterCount() == 0
                    && !Modifier.isStatic(method.getModifiers())
                    && (method.getReturnType() == String.class || method.getReturnType() == int.class);
            if (getter) {
                String property = NameUtils.hyphenate(NameUtils.decapitalize(method.getName().substring(3)));
                try {
                    defaults.put(property, String.valueOf(method.invoke(topics)));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read sluice.topics." + property + " of PipelineTopics", e);
                }
            }
        }
        return defaults;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> applicationYml() {
        try (InputStream in = StreamsApp.class.getResourceAsStream("/application.yml")) {
            if (in == null) {
                throw new IllegalStateException("application.yml of streams-app is not on the class path");
            }
            Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            return document instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> map, Set<String> names) {
        map.forEach((key, value) -> {
            String name = prefix.isEmpty() ? key : prefix + "." + key;
            if (value instanceof Map<?, ?> nested) {
                flatten(name, (Map<String, Object>) nested, names);
            } else {
                names.add(name);
            }
        });
    }

    /** Properties the app's own beans inject with {@code @Value("${...}")}: not in the configuration metadata. */
    private void readValueInjections() {
        List<BeanDefinitionReference> references = new ArrayList<>();
        SoftServiceLoader.load(BeanDefinitionReference.class).collectAll(references);
        for (BeanDefinitionReference<?> reference : references) {
            if (!reference.isPresent() || !reference.getBeanDefinitionName().startsWith("dev.sluice.")) {
                continue;
            }
            BeanDefinition<?> definition = reference.load();
            List<io.micronaut.core.annotation.AnnotationMetadata> injected = new ArrayList<>();
            for (var argument : definition.getConstructor().getArguments()) {
                injected.add(argument.getAnnotationMetadata());
            }
            definition.getInjectedFields().forEach(field -> injected.add(field.getAnnotationMetadata()));
            for (var metadata : injected) {
                metadata.stringValue(Value.class).ifPresent(value -> {
                    Matcher placeholder = PROPERTY_PLACEHOLDER.matcher(value);
                    while (placeholder.find()) {
                        propertyNames.add(placeholder.group(1));
                    }
                });
            }
        }
    }

    private void readConfigurationMetadata() {
        ObjectMapper json = new ObjectMapper();
        try {
            Enumeration<URL> files = StreamsApp.class.getClassLoader()
                    .getResources("META-INF/spring-configuration-metadata.json");
            Set<String> names = new LinkedHashSet<>();
            while (files.hasMoreElements()) {
                URL file = files.nextElement();
                try (InputStream in = file.openStream()) {
                    for (Object property : Tree.list(json.readValue(in, Map.class), "properties")) {
                        String name = Tree.text(property, "name");
                        if (name != null && !name.contains("*")) {
                            names.add(name);
                        }
                    }
                }
            }
            propertyNames.addAll(names);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the configuration metadata", e);
        }
    }
}
