package dev.ticketing.web.errors;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;

/**
 * The error body of every service: an RFC 9457 problem document that also carries the course's {@code errors}
 * array, which is what the web client reads. {@code detail} repeats the messages so plain RFC 9457 clients see them.
 */
@JsonPropertyOrder({"type", "title", "status", "detail", "instance", "errors"})
public record Problem(String type, String title, int status, String detail, String instance, List<ErrorDetail> errors) {

    public Problem {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("A problem carries at least one error");
        }
        errors = List.copyOf(errors);
    }

    static Problem of(HttpStatusCode status, String instance, List<ErrorDetail> errors) {
        HttpStatus known = HttpStatus.resolve(status.value());
        String title = known != null ? known.getReasonPhrase() : "Error";
        String detail = errors.stream().map(ErrorDetail::message).distinct().collect(Collectors.joining("; "));
        return new Problem("about:blank", title, status.value(), detail, instance, errors);
    }

    static Problem of(HttpStatusCode status, String instance, String message) {
        return of(status, instance, List.of(ErrorDetail.of(message)));
    }
}
