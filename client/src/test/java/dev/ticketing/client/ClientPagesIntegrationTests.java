package dev.ticketing.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.ticketing.testsupport.TestServersConfiguration;
import jakarta.servlet.http.Cookie;
import java.util.Map;
import org.hamcrest.Matchers;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.test.web.servlet.ResultActions;

/** The pages against a stub of the APIs ({@link ApiStub}) and the real test NATS. */
@SpringBootTest
@AutoConfigureMockMvc
@Import(TestServersConfiguration.class)
class ClientPagesIntegrationTests {

    static final ApiStub api = new ApiStub();
    static final String TICKET = "{\"id\":\"t1\",\"title\":\"Concert\",\"price\":20,\"userId\":\"u1\",\"version\":3}";
    static final String ORDER = """
            {"id":"o1","userId":"u1","status":"created","expiresAt":"2999-01-01T00:00:00Z","version":0,
             "ticket":{"id":"t1","title":"Concert","price":20.5,"version":1}}""";

    @DynamicPropertySource
    static void apiUrl(DynamicPropertyRegistry registry) {
        registry.add("ticketing.client.api-url", api::url);
    }

    @Autowired
    MockMvc mvc;

    @BeforeEach
    void resetApi() {
        api.reset();
    }

    @AfterAll
    static void stopApi() {
        api.close();
    }

    static Document page(ResultActions result) throws Exception {
        return Jsoup.parse(result.andReturn().getResponse().getContentAsString());
    }

    @Test
    void showsTheApisFieldErrorsNextToTheirFieldsAndTheOthersAboveTheForm() throws Exception {
        api.answer("POST /api/users/signup", 400, """
                {"errors":[{"message":"Email must be valid","field":"email"},{"message":"Email in use"}]}""");

        Document form = page(mvc.perform(post("/auth/signup").with(csrf())
                .param("email", "not-an-email").param("password", "secret")).andExpect(status().isOk()));

        assertThat(form.select("span.field-error#email-error").text()).isEqualTo("Email must be valid");
        assertThat(form.select("input#email").attr("aria-invalid")).isEqualTo("true");
        assertThat(form.select("input#email").attr("aria-describedby")).isEqualTo("email-error");
        assertThat(form.select("input#email").val()).isEqualTo("not-an-email");
        assertThat(form.select("label[for=email]").text()).isEqualTo("Email");
        assertThat(form.select("input#password").hasAttr("aria-invalid")).isFalse();
        assertThat(form.select("#password-error")).isEmpty();
        assertThat(form.select("#form-errors").text()).isEqualTo("Email in use");
        assertThat(form.select("input[name=_csrf]")).hasSize(1);
    }

    @Test
    void signingInRelaysTheSessionCookieToTheBrowserAndGoesHome() throws Exception {
        api.answer("POST /api/users/signin", 200, "{\"id\":\"u1\",\"email\":\"a@example.com\"}",
                Map.of("Set-Cookie", "session=eyJqd3QiOiJ4In0=; Path=/; HttpOnly; SameSite=Lax"));

        mvc.perform(post("/auth/signin").with(csrf()).param("email", "a@example.com").param("password", "secret"))
                .andExpect(redirectedUrl("/"))
                .andExpect(header().stringValues("Set-Cookie",
                        Matchers.hasItem(Matchers.startsWith("session=eyJqd3QiOiJ4In0="))));
        assertThat(api.requests).anySatisfy(request -> {
            assertThat(request.path()).isEqualTo("/api/users/signin");
            assertThat(request.body()).contains("\"email\":\"a@example.com\"");
        });
    }

    @Test
    void theLandingPageListsTicketsWithDollarPricesForTheUserOfTheForwardedSessionCookie() throws Exception {
        api.signedIn("u1", "a@example.com");
        api.answer("GET /api/tickets", 200, "[" + TICKET + "]");

        Document landing = page(mvc.perform(get("/").cookie(new Cookie("session", "abc"))).andExpect(status().isOk()));

        assertThat(landing.select("h1").text()).isEqualTo("Tickets");
        assertThat(landing.select("table#tickets tr#ticket-t1 td.price").text()).isEqualTo("$20.00");
        assertThat(landing.select("tr#ticket-t1 a").attr("href")).isEqualTo("/tickets/t1");
        assertThat(landing.select("tr#ticket-t1").hasAttr("hx-swap-oob")).isFalse();
        assertThat(landing.select("span#current-user").text()).isEqualTo("a@example.com");
        assertThat(landing.select("nav a").eachText()).containsExactly("Tickets", "Sell a ticket", "My orders");
        assertThat(api.requests).allSatisfy(request -> assertThat(request.cookie()).contains("session=abc"));
    }

    @Test
    void aTicketsPageOffersPurchaseAndItsOwnerAnEditLink() throws Exception {
        api.signedIn("u1", "a@example.com");
        api.answer("GET /api/tickets/t1", 200, TICKET);

        Document ticket = page(mvc.perform(get("/tickets/t1")).andExpect(status().isOk()));

        assertThat(ticket.select("h1#ticket-title").text()).isEqualTo("Concert");
        assertThat(ticket.select("span#ticket-price").text()).isEqualTo("$20.00");
        assertThat(ticket.select("span#ticket-status").text()).isEqualTo("Available");
        assertThat(ticket.select("form[action=/tickets/t1/orders] button").text()).isEqualTo("Purchase");
        assertThat(ticket.select("a:containsOwn(Edit)").attr("href")).isEqualTo("/tickets/t1/edit");
        assertThat(ticket.select("[sse-connect]").attr("sse-connect")).isEqualTo("/live/tickets/t1?version=3");
    }

    @Test
    void theOrderPageCountsDownAndOffersTheSandboxCards() throws Exception {
        api.signedIn("u1", "a@example.com");
        api.answer("GET /api/orders/o1", 200, ORDER);

        Document order = page(mvc.perform(get("/orders/o1")).andExpect(status().isOk()));

        assertThat(order.select("h1").text()).isEqualTo("Concert");
        assertThat(order.select("span#order-status").text()).isEqualTo("Awaiting payment");
        assertThat(Long.parseLong(order.select("span#time-left").text())).isPositive();
        assertThat(order.select("label[for=token]").text()).isEqualTo("Card");
        assertThat(order.select("select[name=token] option").eachAttr("value"))
                .containsExactly("tok_visa", "tok_chargeDeclined", "tok_insufficientFunds");
        assertThat(order.select("form[action=/orders/o1/payments] button").text()).isEqualTo("Pay");
        assertThat(order.select("dd").first().text()).isEqualTo("$20.50");
    }

    @Test
    void aDeclinedPaymentShowsTheProvidersMessageAboveTheForm() throws Exception {
        api.answer("GET /api/orders/o1", 200, ORDER);
        api.answer("POST /api/payments", 400, "{\"errors\":[{\"message\":\"Your card was declined\"}]}");

        Document order = page(mvc.perform(post("/orders/o1/payments").with(csrf()).param("token", "tok_chargeDeclined"))
                .andExpect(status().isOk()));

        assertThat(order.select("#form-errors").text()).isEqualTo("Your card was declined");
    }

    @Test
    void anUnknownTicketIsA404PageAndASignedOutPurchaseGoesToSignIn() throws Exception {
        Document missing = page(mvc.perform(get("/tickets/nope")).andExpect(status().isNotFound()));
        assertThat(missing.select("#error-message").text()).isEqualTo("There is nothing here.");

        api.answer("POST /api/orders", 401, "{\"errors\":[{\"message\":\"Not authorized\"}]}");
        mvc.perform(post("/tickets/t1/orders").with(csrf())).andExpect(redirectedUrl("/auth/signin"));
    }

    @Test
    void refusesAFormPostedWithoutItsCsrfToken() throws Exception {
        mvc.perform(post("/auth/signin").param("email", "a@example.com").param("password", "secret"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/tickets/t1/orders").with(csrf().useInvalidToken())).andExpect(status().isForbidden());
        assertThat(api.requests).noneMatch(request -> request.method().equals("POST"));
    }

    /** The edge sends every path no API claims here; an API path gets the API contract's 404, whatever the method. */
    @Test
    void answersAnApiPathNoServiceHasWithTheContractsNotFound() throws Exception {
        for (RequestBuilder request : new RequestBuilder[] {get("/api/nothing-here"),
                post("/api/nothing-here")}) {
            mvc.perform(request)
                    .andExpect(status().isNotFound())
                    .andExpect(header().string("Content-Type", "application/problem+json"))
                    // Byte for byte, in the APIs' field order.
                    .andExpect(content().string("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
                            + "\"detail\":\"Not Found\",\"instance\":\"/api/nothing-here\","
                            + "\"errors\":[{\"message\":\"Not Found\"}]}"));
        }
        assertThat(api.requests).isEmpty();
    }

    @Test
    void aServerErrorOfTheApiIsA503PageWithoutDetails() throws Exception {
        api.answer("GET /api/tickets", 500, "{\"errors\":[{\"message\":\"Something went wrong\"}]}");

        Document error = page(mvc.perform(get("/")).andExpect(status().isServiceUnavailable()));

        assertThat(error.select("#error-message").text()).contains("unavailable");
    }
}
