package io.xasstream.loadtests.loadgen;

import io.xasstream.common.topics.Topic;
import io.xasstream.loadtests.records.BenchSpectra;
import io.xasstream.schema.spectrum.Spectrum;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends the run's spectra to the spectra topic as a beamline or an XFEL DAQ would: each source (beamline) its own
 * key, no linger (a spectrum goes out when it is acquired). Noise is drawn ahead into a pool of copies, so the
 * generator spends its CPU on sending, not on random numbers, on a machine it shares with what it measures.
 */
public final class SpectrumSink implements LoadRun.Sink {
    private static final int POOL = 256;
    /** An element no model serves (and no periodic table has): its spectra must be dead-lettered. */
    static final String NO_SUCH_ELEMENT = "Xx";

    private final KafkaProducer<String, SpecificRecord> producer;
    private final Topic<String, SpecificRecord> topic;
    private final BenchSpectra spectra;
    private final boolean trains;
    private final List<List<Spectrum>> singles = new ArrayList<>();
    private final List<byte[]> rows = new ArrayList<>();

    public SpectrumSink(Properties producer, Topic<String, SpecificRecord> topic, BenchSpectra spectra,
                        ArrivalSchedule schedule) {
        Properties p = new Properties();
        p.putAll(producer);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        this.producer = new KafkaProducer<>(p, topic.keySerde().serializer(), topic.valueSerde().serializer());
        this.topic = topic;
        this.spectra = spectra;
        this.trains = schedule.spectraPerSend() > 1;
        Random rnd = new Random(20261207L);
        for (int source = 0; source < (trains ? 0 : schedule.sources()); source++) {
            Spectrum template = spectra.template(sample(source));
            List<Spectrum> pool = new ArrayList<>(POOL);
            for (int i = 0; i < POOL; i++) {
                pool.add(BenchSpectra.noisy(template, rnd));
            }
            singles.add(pool);
        }
        for (int i = 0; trains && i < 4 * POOL; i++) {
            rows.add(spectra.row(rnd));
        }
    }

    static String sample(int source) {
        return "beamline-" + source;
    }

    @Override
    public void send(long n, int source, List<String> ids, Instant acquiredAt, boolean reject) {
        SpecificRecord value;
        if (trains) {
            List<byte[]> train = new ArrayList<>(ids.size());
            for (int r = 0; r < ids.size(); r++) {
                train.add(rows.get((int) ((n * ids.size() + r) % rows.size())));
            }
            var b = spectra.train(sample(source), n, ids, acquiredAt, train);
            if (reject) {
                b.setElement(NO_SUCH_ELEMENT);
            }
            value = b;
        } else {
            // the producer serialises in send(): the pooled record may be changed again right after
            Spectrum s = singles.get(source).get((int) (n % POOL));
            s.setSpectrumId(ids.get(0));
            s.setAcquiredAt(acquiredAt);
            s.setElement(reject ? NO_SUCH_ELEMENT : spectra.element());
            value = s;
        }
        producer.send(new ProducerRecord<>(topic.name(), "bench/" + sample(source), value));
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
