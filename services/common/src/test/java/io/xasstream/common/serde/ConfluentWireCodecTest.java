package io.xasstream.common.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.xasstream.common.testdata.Records;
import io.xasstream.core.ReasonCode;
import io.xasstream.schema.spectrum.Spectrum;
import io.xasstream.schema.spectrum.SpectrumBatch;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Confluent framing against a registry speaking the Schema Registry REST API on loopback. */
class ConfluentWireCodecTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;
    private final Map<Integer, String> schemas = new ConcurrentHashMap<>();
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();
    private final AtomicInteger registrations = new AtomicInteger();
    private final AtomicInteger nextId = new AtomicInteger(100);
    private String url;

    @BeforeEach
    void startRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/subjects/", ex -> {
            registrations.incrementAndGet();
            String schema = JSON.readTree(ex.getRequestBody()).path("schema").asText();
            int id = ids.computeIfAbsent(schema, s -> nextId.getAndIncrement());
            schemas.put(id, schema);
            reply(ex, 200, JSON.writeValueAsString(Map.of("id", id)));
        });
        server.createContext("/schemas/ids/", ex -> {
            int id = Integer.parseInt(ex.getRequestURI().getPath().replaceAll(".*/", ""));
            String schema = schemas.get(id);
            if (schema == null) {
                reply(ex, 404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
            } else {
                reply(ex, 200, JSON.writeValueAsString(Map.of("schema", schema)));
            }
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Test
    void recordsRoundTripWithMagicByteAndRegistryIdAndAreRegisteredOnce() {
        var codec = new ConfluentWireCodec<SpecificRecord>(new HttpSchemaRegistryClient(url, ""),
                List.of(Spectrum.class, SpectrumBatch.class));
        Spectrum s = Records.spectrum("x");
        byte[] first = codec.encode("xas.spectra", s);
        codec.encode("xas.spectra", Records.spectrum("y"));

        assertThat(first[0]).isZero();
        assertThat(ByteBuffer.wrap(first, 1, 4).getInt()).isEqualTo(100);
        assertThat(registrations).hasValue(1);
        assertThat(codec.decode("xas.spectra", first)).isEqualTo(s);

        SpectrumBatch b = Records.batch("b", 2, 8);
        assertThat(codec.decode("xas.spectra", codec.encode("xas.spectra", b))).isEqualTo(b);
    }

    @Test
    void anIdTheRegistryDoesNotKnowIsAnUnknownSchema() {
        var codec = new ConfluentWireCodec<SpecificRecord>(new HttpSchemaRegistryClient(url, ""),
                List.of(Spectrum.class));
        byte[] bytes = {0, 0, 0, 0x30, 0x39, 1, 2, 3};
        assertThatThrownBy(() -> codec.decode("xas.spectra", bytes)).isInstanceOf(AvroDecodeException.class)
                .extracting(e -> ((AvroDecodeException) e).reason()).isEqualTo(ReasonCode.UNKNOWN_SCHEMA);
    }

    @Test
    void aSingleObjectMessageOnAConfluentTopicIsDecodeFailed() {
        var codec = new ConfluentWireCodec<SpecificRecord>(new HttpSchemaRegistryClient(url, ""),
                List.of(Spectrum.class));
        byte[] single = SingleObjectCodec.of(Spectrum.class).encode("t", Records.spectrum("z"));
        assertThatThrownBy(() -> codec.decode("xas.spectra", single)).isInstanceOf(AvroDecodeException.class)
                .extracting(e -> ((AvroDecodeException) e).reason()).isEqualTo(ReasonCode.DECODE_FAILED);
    }
}
