package dev.ticketing.events.bus;

import dev.ticketing.events.EventType;
import dev.ticketing.events.TicketingEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ResolvableType;

/**
 * Gives every service the event bus: add the dependency, set {@code NATS_URL} and
 * {@code spring.application.name}, and declare {@link EventHandler} (or {@link BatchEventHandler}) beans.
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

    /**
     * Subscribes every {@code EventHandler<SomeEvent>} and {@code BatchEventHandler<SomeEvent>} bean when the context starts and closes the
     * subscriptions first when it stops, before the web server and the outbox, so that in-flight handlers
     * finish while their database and the bus are still there.
     */
    static final class EventHandlerRegistrar implements SmartLifecycle {

        /** Stops before the web server's graceful shutdown (DEFAULT_PHASE - 1024). */
        static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

        private final NatsEventBus bus;
        private final ListableBeanFactory beanFactory;
        private final List<Subscription> subscriptions = new ArrayList<>();
        private volatile boolean running;

        EventHandlerRegistrar(NatsEventBus bus, ListableBeanFactory beanFactory) {
            this.bus = bus;
            this.beanFactory = beanFactory;
        }

        @Override
        public synchronized void start() {
            int typed = 0;
            for (EventType type : EventType.values()) {
                String[] single = beanFactory.getBeanNamesForType(
                        ResolvableType.forClassWithGenerics(EventHandler.class, type.eventClass()));
                String[] batch = beanFactory.getBeanNamesForType(
                        ResolvableType.forClassWithGenerics(BatchEventHandler.class, type.eventClass()));
                if (single.length + batch.length > 1) {
                    throw new IllegalStateException("More than one handler for " + type.subject() + ": "
                            + Arrays.toString(single) + " " + Arrays.toString(batch) + ". A service has one handler per subject.");
                }
                if (single.length == 1) {
                    typed++;
                    subscriptions.add(subscribe(type.eventClass(), beanFactory.getBean(single[0], EventHandler.class)));
                } else if (batch.length == 1) {
                    typed++;
                    subscriptions.add(subscribeBatches(type.eventClass(), beanFactory.getBean(batch[0], BatchEventHandler.class)));
                }
            }
            int all = beanFactory.getBeanNamesForType(EventHandler.class).length
                    + beanFactory.getBeanNamesForType(BatchEventHandler.class).length;
            if (all != typed) {
                throw new IllegalStateException("Every EventHandler and BatchEventHandler bean must name its event type, as in "
                        + "EventHandler<TicketCreated>; found " + all + " handlers but only " + typed + " typed ones");
            }
            running = true;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private Subscription subscribe(Class<? extends TicketingEvent> eventClass, EventHandler handler) {
            return bus.subscribe((Class) eventClass, handler);
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private Subscription subscribeBatches(Class<? extends TicketingEvent> eventClass, BatchEventHandler handler) {
            return bus.subscribeBatches((Class) eventClass, handler);
        }

        @Override
        public synchronized void stop() {
            subscriptions.forEach(Subscription::close);
            subscriptions.clear();
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return PHASE;
        }
    }
}
