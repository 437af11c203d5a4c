package dev.ticketing.events.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ticketing.events.EventType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EventBusSettingsTests {

    @Test
    void namesDurablesAfterServiceAndSubjectNeverTheInstance() {
        assertThat(Subscription.durableName("orders-service", EventType.TICKET_UPDATED))
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
    void takesACommaSeparatedListOfServers() {
        assertThat(EventBusSettings.of("nats://nats-0:4222, nats://nats-1:4222,nats://nats-2:4222", "orders").servers())
                .containsExactly("nats://nats-0:4222", "nats://nats-1:4222", "nats://nats-2:4222");
    }

    @Test
    void refusesAMalformedServerWithAMessageThatNamesIt() {
        assertThatThrownBy(() -> EventBusSettings.of("nats://nats-0:4222,nats://bad host:4222", "orders"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ticketing.nats.url (NATS_URL) has a malformed server 'nats://bad host:4222'");
        assertThatThrownBy(() -> EventBusSettings.of("nats://nats-0:4222,", "orders"))
                .hasMessageContaining("malformed server ''");
    }

    @Test
    void refusesNonPositiveAckWait() {
        assertThatThrownBy(() -> EventBusSettings.Consumer.DEFAULT.withAckWait(Duration.ZERO))
                .hasMessageContaining("consumer.ack-wait");
    }

    @Test
    void refusesAHoldOfEarlyEventsThatCouldOutlastTheAckWait() {
        // 5 s ack-wait by default: a held event must go back to the server well before the server redelivers it.
        assertThatThrownBy(() -> EventBusSettings.Consumer.DEFAULT.withAckWait(Duration.ofMillis(900)))
                .hasMessageContaining("consumer.not-yet-hold");
        assertThat(EventBusSettings.Consumer.DEFAULT.withAckWait(Duration.ofSeconds(1)).notYetHold())
                .isEqualTo(Duration.ofMillis(500));
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
