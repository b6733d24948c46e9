package io.xasstream.inference.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.junit.jupiter.api.Test;

/** The inferrer alone: one model version per batch, retired sets closed, the shadow run beside the live one. */
class InferrerTest {
    private final FakeModels live = new FakeModels("1");
    private final FakeModels shadow = new FakeModels("s");
    private final BlockingQueue<Handoff> out = new ArrayBlockingQueue<>(4);
    private final LoopFixture f = new LoopFixture();
    private final Inferrer inferrer = new Inferrer(new SynchronousQueue<>(), out, live,
            Shadow.of(shadow, f.topics.resultsShadow), e -> { });


    private PolledBatch polled(ModelSet liveSet, ModelSet shadowSet) {
        ModelSet.Preparation p = liveSet.newBatch();
        ModelSet.Preparation s = shadowSet.newBatch();
        for (String id : List.of("a", "b")) {
            p.add(FakeModels.input(id));
            s.add(FakeModels.input(id));
        }
        return new PolledBatch(0, p, Optional.of(s), List.of(), List.of(), Map.of(), new ConsumerGroupMetadata("g"));
    }

    @Test
    void aBatchPreparedBeforeAHotSwapRunsWhollyOnTheNewVersion() {
        PolledBatch batch = polled(live.modelSet(), shadow.modelSet());
        live.swap("2");

        InferredBatch inferred = inferrer.infer(batch);

        assertThat(inferred.live().models()).isSameAs(live.modelSet());
        assertThat(inferred.live().models().results(inferred.live().inference()))
                .allSatisfy(o -> assertThat(o.result().getModels().get(0).getVersion()).isEqualTo("2"));
        assertThat(live.retiredClosed).hasValue(1);
    }

    @Test
    void theShadowRunsOnTheSameSpectra() {
        InferredBatch inferred = inferrer.infer(polled(live.modelSet(), shadow.modelSet()));

        InferredBatch.Run run = inferred.shadow().orElseThrow();
        assertThat(run.models().results(run.inference())).extracting(o -> o.input().spectrumId())
                .containsExactly("a", "b");
    }

    @Test
    void theEndOfTheStreamIsPassedOnAndEndsTheStage() throws Exception {
        BlockingQueue<Handoff> in = new SynchronousQueue<>();
        Thread t = new Thread(new Inferrer(in, out, live, Shadow.none(), e -> { }));
        t.start();
        in.put(Handoff.END);
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(out.poll()).isSameAs(Handoff.END);
    }
}
