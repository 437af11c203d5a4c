package dev.ticketing.events.bus;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Gives every service the event bus: add the dependency, set {@code NATS_URL} and
 * {@code spring.application.name}, and declare {@link EventHandler} beans.
 */
@AutoConfiguration(afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(Connection.class)
@EnableConfigurationProperties(EventBusSettings.class)
class EventBusAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    NatsEventBus natsEventBus(EventBusSettings settings, ObjectProvider<MeterRegistry> meterRegistry) {
        return NatsEventBus.start(settings, meterRegistry.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    EventHandlerRegistrar eventHandlerRegistrar(NatsEventBus bus, DefaultListableBeanFactory beanFactory) {
        return new EventHandlerRegistrar(bus, beanFactory);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class NatsHealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "natsHealthIndicator")
        NatsHealthIndicator natsHealthIndicator(NatsEventBus bus) {
            return new NatsHealthIndicator(bus);
        }
    }
}
