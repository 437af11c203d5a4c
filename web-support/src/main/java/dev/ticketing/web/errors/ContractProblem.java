package dev.ticketing.web.errors;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.util.UriUtils;

/**
 * The contract's error body: Spring's {@link ProblemDetail} carrying the course's {@code errors} array as a property,
 * which is what the web client reads and is never empty; {@code detail} repeats the messages so plain RFC 9457 clients
 * see them. A subclass only to keep the fields in the contract's order (Jackson 3 sorts them alphabetically).
 */
@JsonPropertyOrder({"type", "title", "status", "detail", "instance"})
final class ContractProblem extends ProblemDetail {

    private static final URI ABOUT_BLANK = URI.create("about:blank");

    private ContractProblem(HttpStatusCode status) {
        super(status.value());
    }

    static ProblemDetail of(HttpStatusCode status, HttpServletRequest request, List<ErrorDetail> errors) {
        List<ErrorDetail> said = errors.isEmpty() ? List.of(ErrorDetail.of(Messages.reasonPhrase(status))) : errors;
        ProblemDetail problem = new ContractProblem(status);
        problem.setType(ABOUT_BLANK);
        problem.setTitle(Messages.reasonPhrase(status));
        problem.setDetail(said.stream().map(ErrorDetail::message).distinct().collect(Collectors.joining("; ")));
        problem.setInstance(instance(request));
        problem.setProperty("errors", List.copyOf(said));
        return problem;
    }

    /** The path the client asked for, also when rendering on the container's /error dispatch. */
    private static URI instance(HttpServletRequest request) {
        Object original = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = original instanceof String uri ? uri : request.getRequestURI();
        try {
            return URI.create(path);
        } catch (IllegalArgumentException notAUri) {
            // Never let an odd path turn a 4xx into a 500: quote what URI syntax does not allow.
            return URI.create(UriUtils.encodePath(path, StandardCharsets.UTF_8));
        }
    }
}
