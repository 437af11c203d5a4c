package dev.ticketing.events.outbox;

import dev.ticketing.events.bus.NatsEventBus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.MongoOperations;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;

/**
 * The outbox for services that keep their aggregates in MongoDB: every mapped entity with a field named
 * {@value OutboxEntry#FIELD} gets its pending events relayed to the bus.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.data.mongodb.autoconfigure.DataMongoAutoConfiguration",
        "dev.ticketing.events.bus.EventBusAutoConfiguration"})
@ConditionalOnClass(MongoOperations.class)
@ConditionalOnBean({MongoOperations.class, NatsEventBus.class})
@EnableConfigurationProperties(OutboxSettings.class)
class OutboxAutoConfiguration {

    @Bean
    OutboxRelay outboxRelay(MongoOperations mongo, MongoMappingContext mappingContext, NatsEventBus publisher,
            OutboxSettings settings, ObjectProvider<MeterRegistry> meters) {
        return new OutboxRelay(mongo, publisher, settings, collectionsWithOutbox(mappingContext),
                meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    OutboxRelay.SaveCallback outboxSaveCallback(ObjectProvider<OutboxRelay> relay, MongoMappingContext mappingContext) {
        return new OutboxRelay.SaveCallback(relay, mappingContext);
    }

    private static Set<String> collectionsWithOutbox(MongoMappingContext mappingContext) {
        return mappingContext.getPersistentEntities().stream()
                .filter(entity -> entity.getPersistentProperty(OutboxEntry.FIELD) != null)
                .map(entity -> entity.getCollection())
                .collect(Collectors.toUnmodifiableSet());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class OutboxHealthConfiguration {

        @Bean
        OutboxHealthIndicator outboxHealthIndicator(OutboxRelay relay) {
            return new OutboxHealthIndicator(relay);
        }
    }
}
