package dev.ticketing.events.bus;

import static dev.ticketing.events.bus.BusFixture.READY;
import static dev.ticketing.events.bus.BusFixture.ticket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ticketing.events.OrderCreated;
import dev.ticketing.events.TicketCreated;
import dev.ticketing.events.TicketUpdated;
import dev.ticketing.testsupport.NatsServer;
import dev.ticketing.testsupport.TestServers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A service declares handler beans and gets consumers, health and metrics without touching jnats. */
class EventBusAutoConfigurationIntegrationTests {

    private static NatsServer server;

    private final ApplicationContextRunner contexts = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EventBusAutoConfiguration.class))
            .withPropertyValues("ticketing.nats.url=" + server.url(), "ticketing.nats.service-name=orders-service");

    @BeforeAll
    static void startNats() {
        server = TestServers.dedicatedNats();
    }

    @AfterAll
    static void stopNats() {
        server.close();
    }

    @Test
    void subscribesEveryTypedHandlerBeanAndReportsHealthAndMetrics() {
        contexts.withUserConfiguration(Handlers.class)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    NatsEventBus bus = context.getBean(NatsEventBus.class);
                    NatsHealthIndicator health = context.getBean("natsHealthIndicator", NatsHealthIndicator.class);
                    await().atMost(READY).until(() -> health.health(true).getStatus().equals(Status.UP));

                    bus.publish(ticket(1));
                    bus.publish(new TicketUpdated("ticket-0001", 1, "Show 1", BigDecimal.TEN, "user-1", null));

                    Handlers handlers = context.getBean(Handlers.class);
                    await().atMost(READY).until(() -> handlers.tickets.size() == 1 && handlers.updates.size() == 1);
                    Health detail = health.health(true);
                    assertThat(detail.getDetails()).containsEntry("subscriptions", "3/3 consuming");
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    await().atMost(READY).until(() -> meters.counter("ticketing.events.handled",
                            "subject", "ticket.created", "outcome", "acked").count() == 1.0);
                    assertThat(meters.counter("ticketing.events.published", "subject", "ticket.created").count())
                            .isEqualTo(1.0);
                });
    }

    @Test
    void stopsConsumingWhenTheContextStopsAndResumesWhenItStartsAgain() {
        contexts.withUserConfiguration(Handlers.class).run(context -> {
            NatsEventBus bus = context.getBean(NatsEventBus.class);
            Handlers handlers = context.getBean(Handlers.class);
            await().atMost(READY).until(() -> bus.status().ready());

            context.stop();
            assertThat(bus.status().subscriptions()).isZero();
            bus.publish(ticket(1));
            context.start();

            await().atMost(READY).until(() -> handlers.tickets.size() == 1);
            assertThat(bus.status().subscriptions()).isEqualTo(3);
        });
    }

    @Test
    void failsToStartWithTwoHandlersForOneSubject() {
        contexts.withUserConfiguration(Handlers.class, DuplicateHandler.class)
                .run(context -> assertThat(context).hasFailed()
                        .getFailure().rootCause().hasMessageContaining("More than one handler for ticket.created"));
    }

    @Test
    void failsToStartWithAnEventHandlerAndABatchHandlerForOneSubject() {
        contexts.withUserConfiguration(Handlers.class, DuplicateBatchHandler.class)
                .run(context -> assertThat(context).hasFailed()
                        .getFailure().rootCause().hasMessageContaining("More than one handler for ticket.created"));
    }

    @Test
    void failsToStartWithoutAServiceName() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EventBusAutoConfiguration.class))
                .withPropertyValues("ticketing.nats.url=" + server.url())
                .run(context -> assertThat(context).hasFailed()
                        .getFailure().rootCause().hasMessageContaining("ticketing.nats.service-name"));
    }

    @Test
    void healthIsDownWhileNatsIsUnreachable() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(EventBusAutoConfiguration.class))
                .withPropertyValues("ticketing.nats.url=nats://127.0.0.1:1", "ticketing.nats.service-name=orders-service")
                .run(context -> {
                    NatsHealthIndicator health = context.getBean("natsHealthIndicator", NatsHealthIndicator.class);
                    Health result = health.health(true);
                    assertThat(result.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(result.getDetails()).containsEntry("streamsProvisioned", false);
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class Handlers {

        final List<TicketCreated> tickets = new CopyOnWriteArrayList<>();
        final List<TicketUpdated> updates = new CopyOnWriteArrayList<>();

        @Bean
        EventHandler<TicketCreated> ticketCreatedHandler() {
            return (event, metadata) -> {
                tickets.add(event);
                return Verdict.APPLIED;
            };
        }

        @Bean
        EventHandler<OrderCreated> orderCreatedHandler() {
            return (event, metadata) -> Verdict.APPLIED;
        }

        @Bean
        BatchEventHandler<TicketUpdated> ticketUpdatedBatchHandler() {
            return deliveries -> deliveries.forEach(delivery -> updates.add(delivery.event()));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DuplicateBatchHandler {

        @Bean
        BatchEventHandler<TicketCreated> ticketCreatedBatchHandler() {
            return deliveries -> { };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DuplicateHandler {

        @Bean
        EventHandler<TicketCreated> anotherTicketCreatedHandler() {
            return (event, metadata) -> Verdict.APPLIED;
        }
    }
}
