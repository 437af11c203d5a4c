package dev.ticketing.web.errors;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Boot's whitelabel/JSON error controller for errors raised outside MVC (a filter's {@code sendError}, the
 * firewall rejecting a URL, an exception escaping a filter), so those too get the contract's problem document.
 */
@Hidden
@RestController
final class ErrorFallbackController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ErrorFallbackController.class);

    @RequestMapping(path = "${spring.web.error.path:${error.path:/error}}", produces = MediaType.ALL_VALUE)
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        // Nobody forwarded here: someone asked for /error itself, which is no resource.
        HttpStatusCode status = code instanceof Integer value ? HttpStatusCode.valueOf(value) : HttpStatus.NOT_FOUND;
        if (status.is5xxServerError()) {
            Object exception = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
            log.error("Unhandled error on {}", request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI),
                    exception instanceof Throwable throwable ? throwable : null);
        }
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ContractProblem.of(status, request, List.of(ErrorDetail.of(message(status)))));
    }

    private static String message(HttpStatusCode status) {
        String fixed = Messages.fixedFor(status);
        if (fixed != null) {
            return fixed;
        }
        return status.value() == 413 ? "Request body is too large" : Messages.reasonPhrase(status);
    }
}
