package dev.sluice.app.serde;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.sun.net.httpserver.HttpServer;

import dev.sluice.app.testing.BronzeRecords;
import dev.sluice.app.testing.BronzeSchemas;
import dev.sluice.app.testing.Rows;
import dev.sluice.embedded.EmbeddedPlatformExtension;
import dev.sluice.embedded.RegistryServer;
import dev.sluice.schemas.silver.EnrichedOrderLine;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;

/**
 * Not a test (no assertions on time, not matched by surefire's or failsafe's name patterns): the cost per record of
 * the registry serdes on the stream thread, run by hand with
 * {@code ./mvnw -pl streams-app -am verify -Dtest=SerdeCostBench -Dsurefire.failIfNoSpecifiedTests=false -DskipITs}
 * (output in {@code streams-app/target/surefire-reports/dev.sluice.app.serde.SerdeCostBench-output.txt}). In one
 * run it prints µs per record (wall and thread CPU, median of 5 rounds of 50,000 after 30,000 warm-up calls) of
 * Apicurio's serdes as Sluice configured them, of a hand-rolled cached reader/writer (the floor), and of
 * {@link ConfluentWireSerde}, for the paths of the topology: a bronze value decoded to a GenericRecord, a silver
 * value read back into its class, a silver value written; and for records with an unknown schema id, how many
 * registry HTTP requests they caused (counted by a forwarding proxy in front of the real registry) and their cost.
 */
@ExtendWith(EmbeddedPlatformExtension.class)
class SerdeCostBench {

    private static final int WARMUP = 30_000;
    private static final int N = 50_000;
    private static final int ROUNDS = 5;
    private static final int UNKNOWN = 200;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static volatile Object sink;

    @Test
    void measure(RegistryServer registry) throws Exception {
        String topic = "bench.pg.order_items";
        BronzeRecords bronze = new BronzeRecords(registry.registryV2Url());
        byte[] bronzeValue = bronze.value(topic, BronzeSchemas.ORDER_ITEM, Rows.item(7, 1, 3, 2, "19.90"));
        EnrichedOrderLine line = line();
        String silverTopic = "bench.silver.order_lines";

        try (CountingProxy proxy = CountingProxy.start(registry.url())) {
            ApicurioSerdes apicurio = new ApicurioSerdes(proxy.url() + "/apis/registry/v2");
            Deserializer<Object> generic = apicurio.genericDeserializer();
            Serde<EnrichedOrderLine> specific = apicurio.specific(EnrichedOrderLine.class);
            byte[] silverValue = specific.serializer().serialize(silverTopic, line);
            RegistrySerdes wire = new RegistrySerdes(new RegistrySettings(proxy.url()));
            Deserializer<Object> wireGeneric = wire.genericDeserializer(false);
            Serde<EnrichedOrderLine> wireSpecific = wire.specific(EnrichedOrderLine.class);
            byte[] wireValue = wireSpecific.serializer().serialize(silverTopic, line);

            List<String> report = new ArrayList<>();
            report.add("bronze value " + bronzeValue.length + " B, silver value " + silverValue.length + " B;"
                    + " wire serde writes the same bytes as Apicurio: " + Arrays.equals(silverValue, wireValue));

            // Hand-rolled baseline: schema parsed once, reader/writer built once, decoder/encoder reused.
            Schema bronzeWriter = BronzeSchemas.ORDER_ITEM;
            GenericDatumReader<GenericRecord> genericReader = new GenericDatumReader<>(bronzeWriter, bronzeWriter,
                    GenericData.get());
            SpecificData model = SpecificData.getForClass(EnrichedOrderLine.class);
            SpecificDatumReader<EnrichedOrderLine> specificReader = new SpecificDatumReader<>(
                    EnrichedOrderLine.getClassSchema(), EnrichedOrderLine.getClassSchema(), model);
            SpecificDatumWriter<EnrichedOrderLine> specificWriter = new SpecificDatumWriter<>(
                    EnrichedOrderLine.getClassSchema(), model);
            BinaryDecoder[] decoder = {null};
            Reusable out = new Reusable();
            BinaryEncoder[] encoder = {null};

            report.add(measure("decode bronze -> GenericRecord, Apicurio", i ->
                    sink = generic.deserialize(topic, bronzeValue)));
            report.add(measure("decode bronze -> GenericRecord, cached reader", i -> {
                decoder[0] = DecoderFactory.get().binaryDecoder(bronzeValue, 5, bronzeValue.length - 5, decoder[0]);
                sink = read(genericReader, decoder[0]);
            }));
            report.add(measure("decode bronze -> GenericRecord, ConfluentWireSerde", i ->
                    sink = wireGeneric.deserialize(topic, bronzeValue)));
            report.add(measure("decode silver -> EnrichedOrderLine, Apicurio", i ->
                    sink = specific.deserializer().deserialize(silverTopic, silverValue)));
            report.add(measure("decode silver -> EnrichedOrderLine, cached reader", i -> {
                decoder[0] = DecoderFactory.get().binaryDecoder(silverValue, 5, silverValue.length - 5, decoder[0]);
                sink = read(specificReader, decoder[0]);
            }));
            report.add(measure("decode silver -> EnrichedOrderLine, ConfluentWireSerde", i ->
                    sink = wireSpecific.deserializer().deserialize(silverTopic, silverValue)));
            report.add(measure("encode EnrichedOrderLine, Apicurio", i ->
                    sink = specific.serializer().serialize(silverTopic, line)));
            report.add(measure("encode EnrichedOrderLine, cached writer", i -> {
                out.reset();
                out.write(0);
                out.write(new byte[] {0, 0, 0, 1}, 0, 4);
                encoder[0] = EncoderFactory.get().binaryEncoder(out, encoder[0]);
                try {
                    specificWriter.write(line, encoder[0]);
                    encoder[0].flush();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                sink = out.toByteArray();
            }));

            report.add(measure("encode EnrichedOrderLine, ConfluentWireSerde", i ->
                    sink = wireSpecific.serializer().serialize(silverTopic, line)));

            byte[] unknown = ByteBuffer.allocate(9).put((byte) 0).putInt(999_999).putInt(1).array();
            report.add(unknownIds("unknown id, Apicurio (via counting proxy)", generic, unknown, proxy));
            report.add(unknownIds("unknown id, ConfluentWireSerde (via counting proxy)", wireGeneric, unknown, proxy));
            int beforeFlood = proxy.requests();
            report.add(measure("unknown id again within the TTL, ConfluentWireSerde", i -> {
                try {
                    wireGeneric.deserialize(topic, unknown);
                } catch (UnknownSchemaIdException e) {
                    sink = e;
                }
            }) + "  registry requests: " + (proxy.requests() - beforeFlood));
            report.add(unknownIds("unknown id, Apicurio (direct)", new ApicurioSerdes(registry.registryV2Url())
                    .genericDeserializer(), unknown, null));
            report.add("registry requests by path: " + proxy.byPath());
            System.out.println("==== SerdeCostBench\n" + String.join("\n", report));
        }
    }

    private static String unknownIds(String what, Deserializer<Object> deserializer, byte[] unknown,
            CountingProxy proxy) {
        int before = proxy == null ? 0 : proxy.requests();
        long start = System.nanoTime();
        int failures = 0;
        for (int i = 0; i < UNKNOWN; i++) {
            try {
                deserializer.deserialize("bench.unknown", unknown);
            } catch (RuntimeException e) {
                failures++;
            }
        }
        double perRecord = (System.nanoTime() - start) / 1_000.0 / UNKNOWN;
        return String.format("%-55s %d records, %d failed, %s registry HTTP requests, %.1f µs per record", what,
                UNKNOWN, failures, proxy == null ? "(not counted)" : proxy.requests() - before, perRecord);
    }

    /** The Apicurio serdes as RegistrySerdes configured them before the wire serde replaced them. */
    static final class ApicurioSerdes {
        private final Map<String, Object> config;

        ApicurioSerdes(String apiV2Url) {
            config = Map.of(SerdeConfig.REGISTRY_URL, apiV2Url, SerdeConfig.ENABLE_HEADERS, "false",
                    SerdeConfig.ENABLE_CONFLUENT_ID_HANDLER, "true", SerdeConfig.USE_ID, "contentId",
                    SerdeConfig.AUTO_REGISTER_ARTIFACT, "true", SerdeConfig.AUTO_REGISTER_ARTIFACT_IF_EXISTS,
                    "RETURN_OR_UPDATE");
        }

        Deserializer<Object> genericDeserializer() {
            AvroKafkaDeserializer<Object> deserializer = new AvroKafkaDeserializer<>();
            deserializer.configure(config, false);
            return deserializer;
        }

        <T extends SpecificRecord> Serde<T> specific(Class<T> type) {
            Map<String, Object> c = new HashMap<>(config);
            c.put(AvroKafkaSerdeConfig.USE_SPECIFIC_AVRO_READER, "true");
            AvroKafkaSerializer<T> serializer = new AvroKafkaSerializer<>();
            serializer.configure(c, false);
            AvroKafkaDeserializer<T> deserializer = new AvroKafkaDeserializer<>();
            deserializer.configure(c, false);
            return Serdes.serdeFrom(serializer, deserializer);
        }
    }

    private static Object read(org.apache.avro.io.DatumReader<?> reader, BinaryDecoder decoder) {
        try {
            return reader.read(null, decoder);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Median over rounds of wall and thread-CPU µs per call. */
    static String measure(String what, IntConsumer call) {
        for (int i = 0; i < WARMUP; i++) {
            call.accept(i);
        }
        double[] wall = new double[ROUNDS];
        double[] cpu = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (int i = 0; i < N; i++) {
                call.accept(i);
            }
            wall[r] = (System.nanoTime() - t0) / 1_000.0 / N;
            cpu[r] = (THREADS.getCurrentThreadCpuTime() - c0) / 1_000.0 / N;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        return String.format("%-55s wall %7.2f µs (min %6.2f max %6.2f)  cpu %7.2f µs", what, wall[ROUNDS / 2],
                wall[0], wall[ROUNDS - 1], cpu[ROUNDS / 2]);
    }

    static EnrichedOrderLine line() {
        return EnrichedOrderLine.newBuilder().setOrderId(7L).setLineNo(1).setProductId(3L).setProductSku("SKU-3")
                .setProductName("Product 3").setProductCategory("kitchen").setQuantity(2)
                .setUnitPrice(new BigDecimal("19.90")).setLineAmount(new BigDecimal("39.80")).setCurrency("USD")
                .setReportingCurrency("EUR").setExchangeRate(new BigDecimal("0.9200000000"))
                .setLineAmountReporting(new BigDecimal("36.62")).setCustomerId(11L)
                .setOrderedAt(Instant.parse("2026-11-22T09:59:00Z")).setDeleted(false).setOp("c")
                .setSourceLsn(5_000_001L).setSourceTs(Instant.parse("2026-11-22T09:59:01Z")).setFlags(List.of())
                .build();
    }

    /** A ByteArrayOutputStream without synchronisation, reset between records. */
    static final class Reusable extends OutputStream {
        private byte[] buf = new byte[512];
        private int count;

        void reset() {
            count = 0;
        }

        @Override
        public void write(int b) {
            ensure(1);
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        private void ensure(int more) {
            if (count + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, count);
        }
    }

    /** Forwards HTTP requests to the real registry and counts them (a measuring tap, not a stand-in). */
    static final class CountingProxy implements AutoCloseable {
        private final HttpServer server;
        private final AtomicInteger requests = new AtomicInteger();
        private final Map<String, Integer> byPath = new LinkedHashMap<>();

        private CountingProxy(HttpServer server) {
            this.server = server;
        }

        static CountingProxy start(String target) throws IOException {
            HttpClient client = HttpClient.newHttpClient();
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            CountingProxy proxy = new CountingProxy(server);
            server.createContext("/", exchange -> {
                proxy.requests.incrementAndGet();
                String path = exchange.getRequestURI().getPath().replaceAll("/[0-9]+", "/{n}");
                synchronized (proxy.byPath) {
                    proxy.byPath.merge(exchange.getRequestMethod() + " " + path, 1, Integer::sum);
                }
                try {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target
                            + exchange.getRequestURI())).method(exchange.getRequestMethod(),
                            body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(body));
                    exchange.getRequestHeaders().forEach((name, values) -> {
                        if (!List.of("host", "content-length", "connection", "upgrade", "expect")
                                .contains(name.toLowerCase())) {
                            values.forEach(v -> request.header(name, v));
                        }
                    });
                    HttpResponse<byte[]> response = client.send(request.build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    response.headers().map().forEach((name, values) -> {
                        if (!List.of("content-length", "transfer-encoding", "connection", ":status")
                                .contains(name.toLowerCase())) {
                            exchange.getResponseHeaders().put(name, values);
                        }
                    });
                    byte[] answer = response.body();
                    exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
                    if (answer.length > 0) {
                        exchange.getResponseBody().write(answer);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exchange.sendResponseHeaders(502, -1);
                } catch (IOException e) {
                    exchange.sendResponseHeaders(502, -1);
                } finally {
                    exchange.close();
                }
            });
            server.start();
            return proxy;
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        int requests() {
            return requests.get();
        }

        Map<String, Integer> byPath() {
            synchronized (byPath) {
                return new LinkedHashMap<>(byPath);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
