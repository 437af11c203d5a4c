package dev.ticketing.client;

import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of the client ({@code ticketing.client.*}).
 *
 * @param apiUrl base URL of the edge (or a router in front of the four services): the client calls
 *     {@code <api-url>/api/...} (env {@code TICKETING_CLIENT_APIURL})
 * @param stripePublishableKey when set, the order page takes the card with Stripe Elements instead of the sandbox's
 *     test tokens (env {@code STRIPE_PUBLISHABLE_KEY})
 */
@ConfigurationProperties("ticketing.client")
record ClientSettings(@DefaultValue("http://localhost:8080") URI apiUrl, @Nullable String stripePublishableKey) {

    ClientSettings {
        if (apiUrl.getScheme() == null || apiUrl.getHost() == null) {
            throw new IllegalArgumentException("ticketing.client.api-url (TICKETING_CLIENT_APIURL) must be an absolute "
                    + "URL such as http://localhost:8080, not " + apiUrl);
        }
        stripePublishableKey = stripePublishableKey == null || stripePublishableKey.isBlank() ? null : stripePublishableKey;
    }
}
