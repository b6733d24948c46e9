package io.xasstream.loadtests.loadgen;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoopbackTest {
    @Test
    void loopbackAddressesAreAccepted() {
        assertThatCode(() -> Loopback.require("127.0.0.1:9092,localhost:9093,[::1]:9094,127.0.1.1:1"))
                .doesNotThrowAnyException();
    }

    @Test
    void anyOtherAddressIsRefused() {
        assertThatThrownBy(() -> Loopback.require("127.0.0.1:9092,kafka-0.facility.org:9092"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kafka-0.facility.org");
        assertThatThrownBy(() -> Loopback.require("10.0.0.7:9092")).isInstanceOf(IllegalArgumentException.class);
    }
}
