package dev.ticketing.tickets;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The price rule of {@link Prices}; a missing price breaks it too. */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = ValidPrice.Validator.class)
@interface ValidPrice {

    String message();

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<ValidPrice, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value != null && Prices.parse(value).isPresent();
        }
    }
}
