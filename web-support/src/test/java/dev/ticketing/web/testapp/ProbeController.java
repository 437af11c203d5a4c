package dev.ticketing.web.testapp;

import dev.ticketing.web.security.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
class ProbeController {

    record ThingRequest(
            @NotBlank(message = "Title is required") String title,
            @NotNull(message = "Price must be greater than 0") @Positive(message = "Price must be greater than 0") BigDecimal price) {
    }

    record Thing(String title, BigDecimal price, String userId) {
    }

    /** Domain exceptions as a service writes them: plain, knowing nothing of HTTP; mapped in {@link WebTestApplication}. */
    static class ThingReserved extends RuntimeException {
        ThingReserved() {
            super("Cannot edit a reserved ticket");
        }
    }

    static final class NotTheOwner extends RuntimeException {
        NotTheOwner() {
            super("user 1 does not own thing 2");
        }
    }

    static final class Unmapped extends RuntimeException {
        Unmapped() {
            super("secret-internal-detail");
        }
    }

    @GetMapping("/api/open/whoami")
    Map<String, Object> whoami(Optional<CurrentUser> user) {
        Map<String, Object> body = new HashMap<>();
        body.put("currentUser", user.orElse(null));
        return body;
    }

    @PostMapping("/api/open/echo")
    ThingRequest echo(@Valid @RequestBody ThingRequest request) {
        return request;
    }

    @PostMapping("/api/open/ping")
    Map<String, String> ping() {
        return Map.of("pong", "yes");
    }

    @GetMapping("/api/open/boom")
    String boom() {
        throw new IllegalStateException("secret-internal-detail");
    }

    @GetMapping("/api/open/rule")
    String rule() {
        throw new ThingReserved();
    }

    @GetMapping("/api/open/rule-subclass")
    String ruleSubclass() {
        throw new ThingReserved() { };
    }

    @GetMapping("/api/open/not-owner")
    String notOwner() {
        throw new NotTheOwner();
    }

    @GetMapping("/api/open/unmapped")
    String unmapped() {
        throw new Unmapped();
    }

    @GetMapping("/api/open/limit")
    String limit() {
        throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be between 1 and 500");
    }

    @GetMapping("/api/open/conflict")
    String conflict() {
        throw new OptimisticLockingFailureException("version 3 is stale");
    }

    @GetMapping("/api/open/numbers/{number}")
    int number(@PathVariable int number) {
        return number;
    }

    @GetMapping("/api/things")
    List<Thing> things() {
        return List.of();
    }

    @GetMapping("/api/things/{id}")
    Thing thing(@PathVariable String id) {
        throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no thing " + id);
    }

    @PostMapping("/api/things")
    @ResponseStatus(HttpStatus.CREATED)
    Thing create(CurrentUser user, @Valid @RequestBody ThingRequest request) {
        return new Thing(request.title(), request.price(), user.id());
    }
}
