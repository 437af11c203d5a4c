package dev.ticketing.web.errors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.validation.BindingResult;
import org.springframework.validation.Errors;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.method.annotation.HandlerMethodValidationException;

/** Turns Bean Validation failures into one {@link ErrorDetail} per failed check, in a stable order. */
final class ValidationErrors {

    private static final String INVALID = "Invalid value";

    private ValidationErrors() {
    }

    static List<ErrorDetail> of(BindingResult result) {
        return of(result, result.getTarget());
    }

    private static List<ErrorDetail> of(Errors result, @Nullable Object target) {
        List<ErrorDetail> errors = new ArrayList<>();
        // Hibernate Validator reports in hash order; clients and tests read errors[0], so order by declaration.
        List<String> order = target == null ? List.of() : declaredOrder(target.getClass());
        result.getFieldErrors().stream()
                .sorted(Comparator.comparingInt(error -> position(order, error.getField())))
                .map(error -> ErrorDetail.of(message(error), error.getField()))
                .forEach(errors::add);
        result.getGlobalErrors().stream().map(error -> ErrorDetail.of(message(error))).forEach(errors::add);
        return errors;
    }

    static List<ErrorDetail> of(HandlerMethodValidationException ex) {
        List<ErrorDetail> errors = new ArrayList<>();
        for (ParameterValidationResult result : ex.getParameterValidationResults()) {
            if (result instanceof ParameterErrors parameterErrors) {
                errors.addAll(of(parameterErrors, parameterErrors.getArgument()));
                continue;
            }
            String name = Objects.requireNonNullElse(result.getMethodParameter().getParameterName(), "parameter");
            for (MessageSourceResolvable error : result.getResolvableErrors()) {
                errors.add(ErrorDetail.of(message(error), name));
            }
        }
        return errors.isEmpty() ? List.of(ErrorDetail.of(INVALID)) : errors;
    }

    static List<ErrorDetail> of(ConstraintViolationException ex) {
        List<ErrorDetail> errors = ex.getConstraintViolations().stream()
                .sorted(Comparator.comparing(violation -> violation.getPropertyPath().toString()))
                .map(violation -> ErrorDetail.of(violation.getMessage(), leaf(violation)))
                .toList();
        return errors.isEmpty() ? List.of(ErrorDetail.of(INVALID)) : errors;
    }

    private static String message(MessageSourceResolvable error) {
        if (error instanceof FieldError field && field.isBindingFailure()) {
            // A conversion failure's default message names Java types; say it plainly instead.
            return field.getField() + " is invalid";
        }
        return Objects.requireNonNullElse(error.getDefaultMessage(), INVALID);
    }

    private static String leaf(ConstraintViolation<?> violation) {
        String name = null;
        for (Path.Node node : violation.getPropertyPath()) {
            name = node.getName();
        }
        return Objects.requireNonNullElse(name, "value");
    }

    private static List<String> declaredOrder(Class<?> type) {
        if (type.isRecord()) {
            return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
        }
        return Arrays.stream(type.getDeclaredFields()).map(Field::getName).toList();
    }

    private static int position(List<String> order, @Nullable String path) {
        if (path == null) {
            return Integer.MAX_VALUE;
        }
        String head = path.split("[.\\[]", 2)[0];
        int index = order.indexOf(head);
        return index < 0 ? Integer.MAX_VALUE : index;
    }
}
