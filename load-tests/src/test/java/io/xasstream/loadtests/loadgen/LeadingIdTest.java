package io.xasstream.loadtests.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.topics.Topics;
import io.xasstream.schema.dlq.RejectedSpectrum;
import io.xasstream.schema.result.InferenceResult;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeadingIdTest {
    private final Topics topics = new Topics(XasConfig.load(null, Map.of(), Map.of("bootstrap.servers", "x:1")));

    private byte[] rejected(String id) {
        RejectedSpectrum r = RejectedSpectrum.newBuilder().setSpectrumId(id).setKey("k").setSourceTopic("t")
                .setSourcePartition(0).setSourceOffset(1).setOriginal(ByteBuffer.wrap(new byte[3]))
                .setOriginalSize(3).setReasonCode("NO_MODEL").setMessage("m").setStage("s").setService("x")
                .setRejectedAt(Instant.EPOCH).build();
        return topics.rejected.valueSerde().serializer().serialize("t", r);
    }

    @Test
    void theIdIsReadFromTheHeadOfADeadLetterAndANullIdStaysNull() {
        LeadingId id = new LeadingId(RejectedSpectrum.getClassSchema());
        assertThat(id.read(rejected("spectrum-é-42"))).isEqualTo("spectrum-é-42");
        assertThat(id.knows(rejected(null))).isTrue();
        assertThat(id.read(rejected(null))).isNull();
    }

    @Test
    void aMessageOfAnotherSchemaIsNotReadHere() {
        LeadingId id = new LeadingId(InferenceResult.getClassSchema());
        assertThat(id.knows(rejected("a"))).isFalse();
        assertThat(id.read(rejected("a"))).isNull();
        assertThat(id.read(new byte[] {1, 2})).isNull();
    }
}
