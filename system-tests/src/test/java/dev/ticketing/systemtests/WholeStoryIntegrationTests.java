package dev.ticketing.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ticketing.localstack.StackSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The course's story, paid for at the end, told to the system exactly as {@code ./run-local.sh} runs it (the
 * launcher's exec jar, configured by environment variables) and only through the edge. The stack lives through
 * two launches on one data dir: the first ends with SIGKILL, which takes every child with it, the second starts
 * with a 2-second order window and ends with SIGTERM, so the steps run in order. Payments go through the sandbox
 * provider (STRIPE_KEY is removed from the launcher's environment).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WholeStoryIntegrationTests {

    private static final Duration START_UP = Duration.ofMinutes(3);
    private static final Duration EVENTS = Duration.ofSeconds(30);
    private static final String PASSWORD_A = "password-a";
    private static final String PASSWORD_B = "password-b";

    private final Path dataDir = TestStack.temporaryDataDir("whole-story");
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private LauncherProcess launcher;
    private EdgeClient edge;
    private SystemView view;
    private User alice;
    private User bob;
    private String firstTicket;
    private String bobsOrder;

    @BeforeAll
    void launch() {
        startLauncher(1, Map.of());
    }

    @AfterAll
    void cleanUp() {
        if (launcher != null) {
            launcher.close();
        }
        TestStack.keepLogsAndDelete("whole-story", dataDir);
    }

    @Test
    @Order(1)
    void buyerReservesSellerIsRefusedBuyerCancelsSellerRepricesAndTheNextOrderSeesTheNewPrice() {
        alice = edge.signUp("alice-" + run + "@example.com", PASSWORD_A);
        bob = edge.signUp("bob-" + run + "@example.com", PASSWORD_B);
        assertThat(edge.get("/api/users/currentuser", bob).body().path("currentUser").path("email").asString())
                .isEqualTo(bob.email());

        Reply ticket = edge.post("/api/tickets", Map.of("title", "Concert", "price", 20), alice);
        assertThat(ticket.status()).isEqualTo(201);
        firstTicket = ticket.id();

        Reply order = view.placeOrder(bob, firstTicket, EVENTS);
        assertThat(order.body().path("status").asString()).isEqualTo("created");
        assertThat(TicketState.of(order.body().path("ticket")).price()).isEqualByComparingTo("20");
        String orderId = order.id();

        await("the reservation to reach tickets-service").atMost(EVENTS)
                .until(() -> view.ticket(firstTicket).orderId().equals(orderId));
        Reply refused = edge.put("/api/tickets/" + firstTicket, Map.of("title", "Concert", "price", 25), alice);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.message()).isEqualTo("Cannot edit a reserved ticket");

        assertThat(edge.delete("/api/orders/" + orderId, bob).status()).isEqualTo(204);
        assertThat(edge.get("/api/orders/" + orderId, bob).body().path("status").asString()).isEqualTo("cancelled");

        AtomicReference<Reply> edit = new AtomicReference<>();
        await("the release to reach tickets-service, so the seller may edit").atMost(EVENTS).until(() -> {
            edit.set(edge.put("/api/tickets/" + firstTicket, Map.of("title", "Concert", "price", 35), alice));
            return edit.get().status() == 200;
        });
        assertThat(TicketState.of(edit.get().body()).price()).isEqualByComparingTo("35");

        bobsOrder = view.placeOrder(bob, firstTicket, EVENTS).id();
        await("the new price in the buyer's next order").atMost(EVENTS).until(() -> TicketState.of(
                edge.get("/api/orders/" + bobsOrder, bob).body().path("ticket")).price().compareTo(new BigDecimal("35")) == 0);
        await("the new order's reservation to reach tickets-service").atMost(EVENTS)
                .until(() -> view.ticket(firstTicket).orderId().equals(bobsOrder));
    }

    @Test
    @Order(2)
    void aDeclinedCardLeavesTheOrderPayableThePaidOrderCompletesAndCanNoLongerBeCancelled() {
        Reply declined = view.pay(bob, bobsOrder, "tok_chargeDeclined", EVENTS);
        assertThat(declined.status()).isEqualTo(400);
        assertThat(declined.message()).isEqualTo("Your card was declined");
        assertThat(status(bobsOrder)).as("a declined card changes nothing").isEqualTo("created");

        Reply stranger = edge.post("/api/payments", Map.of("token", "tok_visa", "orderId", bobsOrder), alice);
        assertThat(stranger.status()).isEqualTo(401);
        assertThat(stranger.message()).isEqualTo("Not authorized");

        Reply paid = edge.post("/api/payments", Map.of("token", "tok_visa", "orderId", bobsOrder), bob);
        assertThat(paid.status()).isEqualTo(201);
        assertThat(paid.id()).matches("[0-9a-f]{24}");
        await("payment.created to complete the order").atMost(EVENTS).until(() -> status(bobsOrder).equals("complete"));

        Reply cancel = edge.delete("/api/orders/" + bobsOrder, bob);
        assertThat(cancel.status()).isEqualTo(400);
        assertThat(cancel.message()).isEqualTo("Cannot cancel a paid order");
        Reply again = edge.post("/api/payments", Map.of("token", "tok_visa", "orderId", bobsOrder), bob);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.message()).isEqualTo("Order is already paid");

        // A paid order keeps its ticket: still reserved by it, so the seller still cannot edit it.
        assertThat(view.ticket(firstTicket).orderId()).isEqualTo(bobsOrder);
        Reply edit = edge.put("/api/tickets/" + firstTicket, Map.of("title", "Concert", "price", 50), alice);
        assertThat(edit.status()).isEqualTo(400);
        assertThat(edit.message()).isEqualTo("Cannot edit a reserved ticket");
        assertThat(status(bobsOrder)).isEqualTo("complete");
    }

    @Test
    @Order(3)
    void edgeAnswersUnknownPathsWithTheContractsNotFound() {
        Reply reply = edge.get("/api/nothing-here", null);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(reply.body().toString()).isEqualTo("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
                + "\"detail\":\"Not Found\",\"instance\":\"/api/nothing-here\",\"errors\":[{\"message\":\"Not Found\"}]}");
    }

    @Test
    @Order(4)
    void everyChildExitsWithTheLauncherWhenItIsKilled() {
        List<ProcessHandle> children = launcher.children();
        assertThat(children.stream().filter(WholeStoryIntegrationTests::isJava)).hasSize(StackSettings.SERVICES.size());
        assertThat(children.stream().filter(child -> !isJava(child))).as("nats-server").hasSize(1);

        launcher.process().destroyForcibly();

        // The kernel kills them as the launcher dies (setpriv --pdeathsig); nothing is left for the next launch.
        await("every service JVM and nats-server to be gone with the launcher").atMost(Duration.ofSeconds(30))
                .until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    @Order(5)
    void afterARestartWithATwoSecondWindowAnUnpaidOrderExpiresAndTheTicketIsEditableAgainButAPaidOrderStays() {
        startLauncher(2, Map.of("ORDER_EXPIRATION", "PT2S"));

        // Users, tickets and orders survived the restart (the data dir keeps them).
        alice = edge.signIn(alice.email(), PASSWORD_A);
        bob = edge.signIn(bob.email(), PASSWORD_B);
        assertThat(view.ticket(firstTicket).orderId()).isEqualTo(bobsOrder);
        assertThat(view.ordersByTicket(bob).get(firstTicket).path("id").asString()).isEqualTo(bobsOrder);
        assertThat(status(bobsOrder)).isEqualTo("complete");

        Reply ticket = edge.post("/api/tickets", Map.of("title", "Theatre", "price", 40), alice);
        assertThat(ticket.status()).isEqualTo(201);
        Reply order = view.placeOrder(bob, ticket.id(), EVENTS);
        assertThat(Instant.parse(order.body().path("expiresAt").asString()))
                .isBefore(Instant.now().plusSeconds(3));

        await("the unpaid order to expire").atMost(EVENTS)
                .until(() -> edge.get("/api/orders/" + order.id(), bob).body().path("status").asString().equals("cancelled"));
        await("the ticket to be released and editable").atMost(EVENTS)
                .until(() -> edge.put("/api/tickets/" + ticket.id(), Map.of("title", "Theatre", "price", 45), alice)
                        .status() == 200);
        // The sweep that cancelled the new order leaves the paid one alone. (Its own window, 15 minutes from the first
        // launch, has not passed yet: that a complete order never expires is proven by orders-service's expiry tests.)
        assertThat(status(bobsOrder)).isEqualTo("complete");
        assertThat(view.ticket(firstTicket).orderId()).isEqualTo(bobsOrder);
    }

    @Test
    @Order(6)
    void sigtermStopsEverythingAndLeavesNoProcessBehind() {
        List<ProcessHandle> children = launcher.children();
        assertThat(children).as("the service JVMs and nats-server").hasSize(StackSettings.SERVICES.size() + 1);

        launcher.process().destroy();

        // By design within about 15 s (10 s grace per service, then SIGKILL); the deadline allows for a busy machine.
        await("the launcher to stop").atMost(Duration.ofSeconds(60)).until(() -> !launcher.process().isAlive());
        assertThat(children).noneMatch(ProcessHandle::isAlive);
        assertThat(launcher.consoleText()).contains("[local-stack] stopped");
    }

    private void startLauncher(int launch, Map<String, String> environment) {
        int port = freePort();
        launcher = LauncherProcess.start(dataDir, port, environment,
                Path.of("target", "stack-logs", "whole-story", "launch-" + launch + ".console"));
        launcher.awaitUp(START_UP);
        edge = new EdgeClient(URI.create("http://localhost:" + port));
        view = new SystemView(edge, 4);
    }

    /** The buyer's view of an order's status. */
    private String status(String orderId) {
        Reply order = edge.get("/api/orders/" + orderId, bob);
        assertThat(order.status()).as("GET /api/orders/%s", orderId).isEqualTo(200);
        return order.body().path("status").asString();
    }

    private static boolean isJava(ProcessHandle process) {
        return process.info().command().map(command -> command.endsWith("/java")).orElse(false);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
