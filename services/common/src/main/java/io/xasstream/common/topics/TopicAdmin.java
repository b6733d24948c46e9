package io.xasstream.common.topics;

import io.xasstream.common.config.XasConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the registry's topics that do not exist yet, with the configured partitions and replication. */
public final class TopicAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);

    private TopicAdmin() {
    }

    /** @return the names of the topics created now (existing ones are left untouched) */
    public static List<String> ensure(Admin admin, Collection<Topic<?, ?>> topics, XasConfig config) {
        int partitions = config.get(XasConfig.TOPIC_PARTITIONS);
        short replication = config.get(XasConfig.TOPIC_REPLICATION).shortValue();
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic<?, ?> t : topics) {
                if (!existing.contains(t.name())) {
                    missing.add(new NewTopic(t.name(), partitions, replication).configs(t.topicConfig()));
                }
            }
            List<String> created = new ArrayList<>();
            if (!missing.isEmpty()) {
                var result = admin.createTopics(missing);
                for (NewTopic nt : missing) {
                    try {
                        result.values().get(nt.name()).get(30, TimeUnit.SECONDS);
                        created.add(nt.name());
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                }
                LOG.info("created topics {} ({} partitions, replication {})", created, partitions, replication);
            }
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics: " + e.getMessage(), e);
        }
    }
}
