package dev.ticketing.client;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The pages' server-sent event streams (htmx's sse extension connects to them). {@code version} is the record's
 * version the page was rendered with. An order's stream is only for its owner: the orders API decides, with the
 * browser's session cookie.
 */
@RestController
class LiveController {

    private final LiveUpdates live;
    private final Api api;

    LiveController(LiveUpdates live, Api api) {
        this.live = live;
        this.api = api;
    }

    @GetMapping(path = "/live/tickets", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter tickets(HttpServletResponse response) {
        unbuffered(response);
        return live.landing();
    }

    @GetMapping(path = "/live/tickets/{id}", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter ticket(@PathVariable String id, @RequestParam(defaultValue = "-1") long version,
            HttpServletResponse response) {
        unbuffered(response);
        return live.ticket(api.ticket(id), version);
    }

    @GetMapping(path = "/live/orders/{id}", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter order(@PathVariable String id, @RequestParam(defaultValue = "-1") long version,
            HttpServletResponse response) {
        unbuffered(response);
        return live.order(api.order(id), version);
    }

    /** nginx (the Kubernetes ingress) would otherwise hold events back in its buffer. */
    private static void unbuffered(HttpServletResponse response) {
        response.setHeader("X-Accel-Buffering", "no");
    }

    @ExceptionHandler(ApiRefused.class)
    ResponseEntity<Void> refused(ApiRefused refused) {
        return ResponseEntity.status(refused.status()).build();
    }

    @ExceptionHandler({ResourceAccessException.class, ApiUnavailable.class})
    ResponseEntity<Void> unavailable() {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).build();
    }
}
