package dev.ticketing.client;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of the client ({@code ticketing.client.*}).
 *
 * @param apiUrl where the client calls the APIs: the edge, or anything that routes {@code /api/users}, {@code /tickets},
 *     {@code /orders} and {@code /payments} like it (env {@code TICKETING_CLIENT_APIURL})
 * @param apiUrls per API ({@code users}, {@code tickets}, {@code orders}, {@code payments}), a service to call instead
 *     of {@code apiUrl}: in Kubernetes each API's Service, since no in-cluster address reaches the edge in every setup
 *     (env {@code TICKETING_CLIENT_APIURLS_USERS}, ...)
 * @param stripePublishableKey when set, the order page takes the card with Stripe Elements instead of the sandbox's
 *     test tokens (env {@code STRIPE_PUBLISHABLE_KEY})
 */
@ConfigurationProperties("ticketing.client")
record ClientSettings(@DefaultValue("http://localhost:8080") URI apiUrl, @DefaultValue Map<String, URI> apiUrls,
        @Nullable String stripePublishableKey) {

    static final Set<String> APIS = Set.of("users", "tickets", "orders", "payments");

    ClientSettings {
        requireAbsolute("ticketing.client.api-url (TICKETING_CLIENT_APIURL)", apiUrl);
        apiUrls = Map.copyOf(apiUrls);
        apiUrls.forEach((api, url) -> {
            if (!APIS.contains(api)) {
                throw new IllegalArgumentException("ticketing.client.api-urls." + api + " names no API; the APIs are "
                        + APIS);
            }
            requireAbsolute("ticketing.client.api-urls." + api, url);
        });
        stripePublishableKey = stripePublishableKey == null || stripePublishableKey.isBlank() ? null : stripePublishableKey;
    }

    /** The base URL for {@code /api/<api>/...}. */
    URI apiUrl(String api) {
        return apiUrls.getOrDefault(api, apiUrl);
    }

    private static void requireAbsolute(String name, URI url) {
        if (url.getScheme() == null || url.getHost() == null) {
            throw new IllegalArgumentException(name + " must be an absolute URL such as http://localhost:8080, not "
                    + url);
        }
    }
}
