package dev.ticketing.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientSettingsTests {

    private static final URI EDGE = URI.create("http://localhost:8080");

    @Test
    void callsAnApiAtItsOwnUrlWhenOneIsGivenAndAtTheEdgeOtherwise() {
        ClientSettings settings = new ClientSettings(EDGE, Map.of("users", URI.create("http://auth-service:3000")),
                null);

        assertThat(settings.apiUrl("users")).isEqualTo(URI.create("http://auth-service:3000"));
        assertThat(settings.apiUrl("tickets")).isEqualTo(EDGE);
    }

    @Test
    void refusesAnApiThatDoesNotExistAndARelativeUrl() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ClientSettings(EDGE,
                Map.of("user", URI.create("http://auth-service:3000")), null)).withMessageContaining("names no API");
        assertThatIllegalArgumentException().isThrownBy(() -> new ClientSettings(URI.create("/api"), Map.of(), null))
                .withMessageContaining("TICKETING_CLIENT_APIURL");
    }

    @Test
    void takesABlankStripeKeyAsNone() {
        assertThat(new ClientSettings(EDGE, Map.of(), " ").stripePublishableKey()).isNull();
    }
}
