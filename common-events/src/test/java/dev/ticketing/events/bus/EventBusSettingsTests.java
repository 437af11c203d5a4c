package dev.ticketing.events.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticketing.events.EventType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EventBusSettingsTests {

    @Test
    void namesDurablesAfterServiceAndSubjectNeverTheInstance() {
        assertThat(DurableSubscription.durableName("orders-service", EventType.TICKET_UPDATED))
                .isEqualTo("orders-service-ticket-updated");
    }

    @Test
    void refusesMissingServiceNameWithAMessageThatSaysWhy() {
        assertThatThrownBy(() -> EventBusSettings.of("nats://localhost:4222", " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ticketing.nats.service-name");
    }

    @Test
    void refusesServiceNameThatCannotNameADurable() {
        assertThatThrownBy(() -> EventBusSettings.of("nats://localhost:4222", "orders service"))
                .hasMessageContaining("only letters, digits");
    }

    @Test
    void refusesNonPositiveAckWait() {
        assertThatThrownBy(() -> EventBusSettings.Consumer.DEFAULT.withAckWait(Duration.ZERO))
                .hasMessageContaining("consumer.ack-wait");
    }

    @Test
    void backoffDoublesFromTheFirstDelayUpToTheCap() {
        Duration first = Duration.ofMillis(100);
        Duration max = Duration.ofSeconds(1);

        assertThat(EventBusSettings.Consumer.backoff(first, max, 1)).isEqualTo(Duration.ofMillis(100));
        assertThat(EventBusSettings.Consumer.backoff(first, max, 2)).isEqualTo(Duration.ofMillis(200));
        assertThat(EventBusSettings.Consumer.backoff(first, max, 4)).isEqualTo(Duration.ofMillis(800));
        assertThat(EventBusSettings.Consumer.backoff(first, max, 5)).isEqualTo(max);
        assertThat(EventBusSettings.Consumer.backoff(first, max, 10_000)).isEqualTo(max);
    }
}
