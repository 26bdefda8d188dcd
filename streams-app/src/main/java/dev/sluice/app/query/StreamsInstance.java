package dev.sluice.app.query;

import java.lang.reflect.Field;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micronaut.context.annotation.Requires;
import io.micronaut.configuration.kafka.streams.ConfiguredStreamBuilder;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * This instance of the Kafka Streams application, as the query and status APIs see it: its state and metadata,
 * its {@code application.server}, the running topology's description, where each gold store lives in it, and an
 * admin client for partition counts, offsets and lag.
 */
@Requires(property = "kafka.enabled", notEquals = "false")
@Singleton
public class StreamsInstance {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsInstance.class);
    private static final long ADMIN_TIMEOUT_SECONDS = 10;

    private final KafkaStreams streams;
    private final Properties config;
    private final StreamsBuilder builder;
    private final HostInfo self;
    private final Map<GoldStore, Integer> partitionCounts = new ConcurrentHashMap<>();
    private volatile TopologyDescription description;
    private volatile Map<String, StoreLayout> layouts;
    private Admin admin;

    public StreamsInstance(KafkaStreams streams, @Named("default") ConfiguredStreamBuilder builder) {
        this.streams = streams;
        this.builder = builder;
        this.config = builder.getConfiguration();
        String server = config.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG);
        this.self = server == null || server.isBlank() ? null : HostInfo.buildFromEndpoint(server.strip());
        if (self == null) {
            LOG.info("application.server not set: interactive queries answer from this instance only");
        }
    }

    /**
     * Where a store sits in the topology.
     *
     * @param subtopology  the sub-topology whose tasks hold it (task ids {@code <subtopology>_<partition>})
     * @param sourceTopics the topics those tasks read, as the description names them
     */
    public record StoreLayout(int subtopology, Set<String> sourceTopics) {
    }

    public KafkaStreams streams() {
        return streams;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** This instance's {@code application.server}; null when not configured (a single instance). */
    @Nullable
    public HostInfo self() {
        return self;
    }

    public String applicationId() {
        return config.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
    }

    /** The description of the running topology. */
    public TopologyDescription description() {
        TopologyDescription current = description;
        if (current == null) {
            current = topologyOf(builder).describe();
            description = current;
        }
        return current;
    }

    /** Where each state store sits: its sub-topology and that sub-topology's source topics. */
    public Map<String, StoreLayout> layouts() {
        Map<String, StoreLayout> current = layouts;
        if (current == null) {
            current = layouts(description());
            layouts = current;
        }
        return current;
    }

    /** The layout of one gold store. */
    public StoreLayout layout(GoldStore store) {
        StoreLayout layout = layouts().get(store.storeName());
        if (layout == null) {
            throw new IllegalStateException("store " + store.storeName() + " is not in the topology");
        }
        return layout;
    }

    /** Whether {@code topic} (a name as Kafka knows it) is one of the description's {@code names}. */
    public boolean isOneOf(String topic, Set<String> names) {
        return names.contains(topic) || topic.startsWith(applicationId() + "-")
                && names.contains(topic.substring(applicationId().length() + 1));
    }

    /** The partition count of a store: that of its changelog topic, which Kafka Streams creates to match. */
    public int partitions(GoldStore store) {
        Integer known = partitionCounts.get(store);
        if (known != null) {
            return known;
        }
        String changelog = applicationId() + "-" + store.storeName() + "-changelog";
        try {
            TopicDescription topic = admin().describeTopics(List.of(changelog)).allTopicNames()
                    .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS).get(changelog);
            int count = topic.partitions().size();
            partitionCounts.put(store, count);
            return count;
        } catch (ExecutionException | TimeoutException e) {
            throw QueryException.unavailable("the partitions of store " + store.storeName()
                    + " are not known yet (" + changelog + ": " + rootMessage(e) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw QueryException.unavailable("interrupted");
        }
    }

    /**
     * Where a key of a store lives. {@link KeyQueryMetadata#NOT_AVAILABLE} while the streams are not running or
     * rebalancing without metadata; the partition is then computed as the topology's partitioner does.
     */
    public KeyQueryMetadata keyMetadata(GoldStore store, Object key) {
        KeyQueryMetadata metadata;
        try {
            metadata = self == null ? null : streams.queryMetadataForKey(store.storeName(), key,
                    store.keyType().serializer());
        } catch (InvalidStateStoreException | IllegalStateException e) {
            metadata = null;
        }
        if (metadata != null && metadata.partition() >= 0) {
            return metadata;
        }
        return new KeyQueryMetadata(HostInfo.unavailable(), Set.of(), partitionOf(store, key));
    }

    /** The partition of a key: the producer's default partitioner over the key's bytes, as the topology writes it. */
    public int partitionOf(GoldStore store, Object key) {
        return partitionOf(store.keyType().serializer().serialize(null, key), partitions(store));
    }

    static int partitionOf(byte[] keyBytes, int partitions) {
        return Utils.toPositive(Utils.murmur2(keyBytes)) % partitions;
    }

    /** The instances holding a store and its partitions on each, active and standby. */
    public Collection<Routing.HostPartitions> assignment(GoldStore store) {
        Set<String> sources = layout(store).sourceTopics();
        Collection<StreamsMetadata> all;
        try {
            all = self == null ? List.of() : streams.streamsMetadataForStore(store.storeName());
        } catch (InvalidStateStoreException | IllegalStateException e) {
            all = List.of();
        }
        return all.stream().map(metadata -> new Routing.HostPartitions(metadata.hostInfo(),
                partitions(metadata.topicPartitions(), sources), partitions(metadata.standbyTopicPartitions(),
                        sources))).toList();
    }

    /** Every instance of the application Kafka Streams knows of, this one included. */
    public Collection<StreamsMetadata> instances() {
        try {
            return streams.metadataForAllStreamsClients();
        } catch (IllegalStateException e) {
            return List.of();
        }
    }

    /** An admin client with the streams' connection settings, created on first use. */
    public synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> props = new HashMap<>();
            Set<String> names = AdminClientConfig.configNames();
            config.stringPropertyNames().stream().filter(names::contains)
                    .forEach(name -> props.put(name, config.get(name)));
            props.put(AdminClientConfig.CLIENT_ID_CONFIG, applicationId() + "-sluice-api");
            admin = Admin.create(props);
        }
        return admin;
    }

    /** The consumer settings of the streams (connection and security), for the API's own readers. */
    public Map<String, Object> clientSettings(Set<String> names) {
        Map<String, Object> props = new HashMap<>();
        config.stringPropertyNames().stream().filter(names::contains)
                .forEach(name -> props.put(name, config.get(name)));
        return props;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }

    private Set<Integer> partitions(Set<TopicPartition> partitions, Set<String> topics) {
        return partitions.stream().filter(tp -> isOneOf(tp.topic(), topics)).map(TopicPartition::partition)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static Map<String, StoreLayout> layouts(TopologyDescription description) {
        Map<String, StoreLayout> layouts = new HashMap<>();
        for (TopologyDescription.Subtopology subtopology : description.subtopologies()) {
            Set<String> sources = new TreeSet<>();
            Set<String> stores = new TreeSet<>();
            for (TopologyDescription.Node node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                    sources.addAll(source.topicSet());
                } else if (node instanceof TopologyDescription.Processor processor) {
                    stores.addAll(processor.stores());
                }
            }
            for (String store : stores) {
                layouts.put(store, new StoreLayout(subtopology.id(), Set.copyOf(sources)));
            }
        }
        return Map.copyOf(layouts);
    }

    /**
     * The topology Micronaut built and runs. Kafka Streams has no getter for it on a running instance; the builder
     * keeps it in a protected field and returns that very object from {@code build}, which cannot be called a
     * second time while the stream threads use it. Read once, never changed.
     */
    static Topology topologyOf(StreamsBuilder builder) {
        try {
            Field field = StreamsBuilder.class.getDeclaredField("topology");
            field.setAccessible(true);
            return (Topology) field.get(builder);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read the topology of the streams builder (Kafka Streams "
                    + "version changed?)", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
