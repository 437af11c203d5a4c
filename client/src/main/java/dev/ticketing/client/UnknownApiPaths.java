package dev.ticketing.client;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The edge sends every path that no API claims to the client, {@code /api/...} ones included: those get the API
 * contract's 404 (a problem document with the course's {@code errors} array), as an API would answer, not a page.
 */
@RestController
class UnknownApiPaths {

    /** The APIs' error body, fields in their order (Jackson 3 would sort them alphabetically). */
    @JsonPropertyOrder({"type", "title", "status", "detail", "instance", "errors"})
    record NotFound(String type, String title, int status, String detail, String instance, List<Message> errors) {

        record Message(String message) {
        }
    }

    @RequestMapping("/api/**")
    ResponseEntity<NotFound> notFound(HttpServletRequest request) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(new NotFound("about:blank", "Not Found", 404, "Not Found", request.getRequestURI(),
                        List.of(new NotFound.Message("Not Found"))));
    }
}
