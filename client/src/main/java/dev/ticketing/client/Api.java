package dev.ticketing.client;

import dev.ticketing.client.Views.Created;
import dev.ticketing.client.Views.CurrentUser;
import dev.ticketing.client.Views.Order;
import dev.ticketing.client.Views.Ticket;
import dev.ticketing.client.Views.User;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The four services' APIs as the pages use them, called as the browser would: the browser's {@code Cookie} header
 * goes along, and the {@code Set-Cookie} of sign up / in / out comes back to it. A 4xx becomes {@link ApiRefused}
 * (with the API's {@code errors}), a 5xx {@link ApiUnavailable}; an unreachable API a {@code ResourceAccessException}.
 */
@Component
final class Api {

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private record Problem(@Nullable List<ApiRefused.Error> errors) {
    }

    private final RestClient rest;
    private final ClientSettings settings;

    Api(RestClient.Builder builder, ClientSettings settings) {
        this.settings = settings;
        this.rest = builder
                .requestInterceptor(Api::asTheBrowser)
                .defaultStatusHandler(HttpStatusCode::is4xxClientError, (request, response) -> {
                    throw refused(response);
                })
                .defaultStatusHandler(HttpStatusCode::is5xxServerError, (request, response) -> {
                    throw new ApiUnavailable(request.getMethod() + " " + request.getURI().getPath() + " answered "
                            + response.getStatusCode().value());
                })
                .build();
    }

    User signUp(String email, String password) {
        return post(url("users", "/signup"), Map.of("email", email, "password", password), User.class);
    }

    User signIn(String email, String password) {
        return post(url("users", "/signin"), Map.of("email", email, "password", password), User.class);
    }

    void signOut() {
        rest.post().uri(url("users", "/signout")).retrieve().toBodilessEntity();
    }

    @Nullable User currentUser() {
        CurrentUser answer = rest.get().uri(url("users", "/currentuser")).retrieve().body(CurrentUser.class);
        return answer == null ? null : answer.currentUser();
    }

    List<Ticket> tickets() {
        List<Ticket> tickets = rest.get().uri(url("tickets", "")).retrieve().body(new ParameterizedTypeReference<>() { });
        return tickets == null ? List.of() : tickets;
    }

    Ticket ticket(String id) {
        return required(rest.get().uri(url("tickets", "/{id}"), id).retrieve().body(Ticket.class));
    }

    Ticket createTicket(String title, String price) {
        return post(url("tickets", ""), Map.of("title", title, "price", price), Ticket.class);
    }

    Ticket updateTicket(String id, String title, String price) {
        return required(rest.put().uri(url("tickets", "/{id}"), id).body(Map.of("title", title, "price", price))
                .retrieve().body(Ticket.class));
    }

    Order createOrder(String ticketId) {
        return post(url("orders", ""), Map.of("ticketId", ticketId), Order.class);
    }

    List<Order> orders() {
        List<Order> orders = rest.get().uri(url("orders", "")).retrieve().body(new ParameterizedTypeReference<>() { });
        return orders == null ? List.of() : orders;
    }

    Order order(String id) {
        return required(rest.get().uri(url("orders", "/{id}"), id).retrieve().body(Order.class));
    }

    void pay(String orderId, String token) {
        post(url("payments", ""), Map.of("orderId", orderId, "token", token), Created.class);
    }

    private <T> T post(String path, Map<String, String> body, Class<T> answer) {
        return required(rest.post().uri(path).body(body).retrieve().body(answer));
    }

    /** {@code /api/<api><path>} at the API's base URL (ClientSettings). */
    private String url(String api, String path) {
        String base = settings.apiUrl(api).toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/api/" + api + path;
    }

    private static <T> T required(@Nullable T body) {
        if (body == null) {
            throw new ApiUnavailable("The API answered without a body");
        }
        return body;
    }

    /** Sends the browser's cookies (the session) and hands the API's new ones back to the browser. */
    private static ClientHttpResponse asTheBrowser(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        ServletRequestAttributes current = RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes
                attributes ? attributes : null;
        if (current != null) {
            HttpServletRequest browser = current.getRequest();
            String cookies = browser.getHeader(HttpHeaders.COOKIE);
            if (cookies != null) {
                request.getHeaders().set(HttpHeaders.COOKIE, cookies);
            }
        }
        ClientHttpResponse response = execution.execute(request, body);
        HttpServletResponse toBrowser = current == null ? null : current.getResponse();
        if (toBrowser != null) {
            response.getHeaders().getOrEmpty(HttpHeaders.SET_COOKIE)
                    .forEach(cookie -> toBrowser.addHeader(HttpHeaders.SET_COOKIE, cookie));
        }
        return response;
    }

    private static ApiRefused refused(ClientHttpResponse response) throws IOException {
        int status = response.getStatusCode().value();
        List<ApiRefused.Error> errors = null;
        try {
            errors = JSON.readValue(response.getBody(), Problem.class).errors();
        } catch (JacksonException e) {
            // Not the course's error document (a proxy's page): the status alone says enough.
        }
        return new ApiRefused(status, errors == null || errors.isEmpty()
                ? List.of(new ApiRefused.Error("The request was refused (" + status + ")", null)) : errors);
    }
}
