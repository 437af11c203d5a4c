package dev.ticketing.web.errors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.util.StringUtils;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;

/**
 * The one place errors become responses: every failure, from MVC or (through the security entry point) from the
 * security filters, is rendered as the contract's problem document, a {@link ProblemDetail} carrying the course's
 * {@code errors} array. A service's domain exceptions get their status from its {@link ErrorStatuses}. Unordered,
 * so a service's own advice wins.
 */
@RestControllerAdvice
final class ProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    private final List<ErrorStatuses> domainStatuses;

    ProblemHandler(List<ErrorStatuses> domainStatuses) {
        this.domainStatuses = List.copyOf(domainStatuses);
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ProblemDetail> invalidBody(MethodArgumentNotValidException ex, HttpServletRequest request) {
        return respond(HttpStatus.BAD_REQUEST, request, ValidationErrors.of(ex.getBindingResult()));
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<ProblemDetail> invalidArguments(HandlerMethodValidationException ex, HttpServletRequest request) {
        return respond(HttpStatus.BAD_REQUEST, request, ValidationErrors.of(ex));
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> constraintViolated(ConstraintViolationException ex, HttpServletRequest request) {
        return respond(HttpStatus.BAD_REQUEST, request, ValidationErrors.of(ex));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadableBody(HttpMessageNotReadableException ex, HttpServletRequest request) {
        var tooLarge = UnreadableBody.tooLarge(ex);
        if (tooLarge.isPresent()) {
            return respond(HttpStatus.CONTENT_TOO_LARGE, request, tooLarge.get().clientMessage());
        }
        log.debug("Unreadable request body on {} {}: {}", request.getMethod(), request.getRequestURI(), ex.getMessage());
        return respond(HttpStatus.BAD_REQUEST, request, List.of(UnreadableBody.describe(ex)));
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<ProblemDetail> uploadTooLarge(HttpServletRequest request) {
        return respond(HttpStatus.CONTENT_TOO_LARGE, request, "Request body is too large");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> argumentMismatch(MethodArgumentTypeMismatchException ex, HttpServletRequest request) {
        MethodParameter parameter = ex.getParameter();
        if (parameter.hasParameterAnnotation(PathVariable.class)) {
            // A malformed id in the path names no resource at all.
            return respond(HttpStatus.NOT_FOUND, request, Messages.NOT_FOUND);
        }
        return respond(HttpStatus.BAD_REQUEST, request, List.of(ErrorDetail.of(ex.getName() + " is invalid", ex.getName())));
    }

    @ExceptionHandler({AuthenticationException.class, AccessDeniedException.class})
    ResponseEntity<ProblemDetail> notAuthorized(Exception ex, HttpServletRequest request) {
        log.debug("Not authorized on {} {}: {}", request.getMethod(), request.getRequestURI(), ex.getMessage());
        return respond(HttpStatus.UNAUTHORIZED, request, Messages.NOT_AUTHORIZED);
    }

    @ExceptionHandler(OptimisticLockingFailureException.class)
    ResponseEntity<ProblemDetail> conflict(OptimisticLockingFailureException ex, HttpServletRequest request) {
        log.info("Concurrent modification on {} {}: {}", request.getMethod(), request.getRequestURI(), ex.getMessage());
        return respond(HttpStatus.CONFLICT, request, Messages.CONFLICT);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> methodNotAllowed(HttpRequestMethodNotSupportedException ex, HttpServletRequest request) {
        HttpHeaders headers = new HttpHeaders();
        if (ex.getSupportedHttpMethods() != null) {
            headers.setAllow(ex.getSupportedHttpMethods());
        }
        return respond(HttpStatus.METHOD_NOT_ALLOWED, request, headers,
                List.of(ErrorDetail.of("Method " + ex.getMethod() + " is not allowed on this route")));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> unsupportedMediaType(HttpServletRequest request) {
        HttpHeaders headers = new HttpHeaders();
        headers.setAccept(List.of(MediaType.APPLICATION_JSON));
        return respond(HttpStatus.UNSUPPORTED_MEDIA_TYPE, request, headers, List.of(ErrorDetail.of(Messages.JSON_ONLY)));
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ProblemDetail> notAcceptable(HttpServletRequest request) {
        return respond(HttpStatus.NOT_ACCEPTABLE, request, "This API answers only with application/json");
    }

    /**
     * A service's domain exception (status from its {@link ErrorStatuses}), Spring's own 4xx exceptions (including
     * {@code ResponseStatusException}, unknown routes) and anything unexpected (500, details only in the log).
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> other(Exception ex, HttpServletRequest request) {
        HttpStatus domain = domainStatuses.stream().map(statuses -> statuses.statusOf(ex))
                .filter(Objects::nonNull).findFirst().orElse(null);
        HttpStatusCode status = domain != null ? domain : statusOf(ex);
        if (status.is5xxServerError()) {
            log.error("Unhandled error on {} {}", request.getMethod(), request.getRequestURI(), ex);
        } else {
            log.debug("Client error {} on {} {}: {}", status.value(), request.getMethod(), request.getRequestURI(),
                    ex.toString());
        }
        String fixed = Messages.fixedFor(status);
        // A domain exception's message is its rule, said to the client; Spring's 4xx exceptions carry a client-safe
        // detail; anything else says only its status.
        String said = domain != null ? ex.getMessage()
                : ex instanceof ErrorResponse response ? response.getBody().getDetail() : reason(ex);
        return respond(status, request, fixed != null ? fixed
                : StringUtils.hasText(said) ? said : Messages.reasonPhrase(status));
    }

    private static HttpStatusCode statusOf(Exception ex) {
        if (ex instanceof ErrorResponse response) {
            return response.getStatusCode();
        }
        ResponseStatus annotated = AnnotatedElementUtils.findMergedAnnotation(ex.getClass(), ResponseStatus.class);
        return annotated != null ? annotated.code() : HttpStatus.INTERNAL_SERVER_ERROR;
    }

    private static @Nullable String reason(Exception ex) {
        ResponseStatus annotated = AnnotatedElementUtils.findMergedAnnotation(ex.getClass(), ResponseStatus.class);
        return annotated != null ? annotated.reason() : null;
    }

    private static ResponseEntity<ProblemDetail> respond(HttpStatusCode status, HttpServletRequest request, String message) {
        return respond(status, request, List.of(ErrorDetail.of(message)));
    }

    private static ResponseEntity<ProblemDetail> respond(HttpStatusCode status, HttpServletRequest request,
            List<ErrorDetail> errors) {
        return respond(status, request, new HttpHeaders(), errors);
    }

    private static ResponseEntity<ProblemDetail> respond(HttpStatusCode status, HttpServletRequest request,
            HttpHeaders headers, List<ErrorDetail> errors) {
        // A preset content type skips Accept negotiation, so even "Accept: text/html" gets the problem document.
        return ResponseEntity.status(status)
                .headers(headers)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ContractProblem.of(status, request, errors));
    }
}
