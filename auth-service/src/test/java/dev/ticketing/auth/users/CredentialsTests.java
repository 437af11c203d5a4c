package dev.ticketing.auth.users;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class CredentialsTests {

    private static final ValidatorFactory factory = Validation.buildDefaultValidatorFactory();
    private static final Validator validator = factory.getValidator();

    @AfterAll
    static void close() {
        factory.close();
    }

    @Test
    void normalizesEmailAndTrimsPasswordBeforeValidation() {
        Credentials.Signup signup = new Credentials.Signup("  Test@Test.COM ", "  secret ");

        assertThat(signup.email()).isEqualTo("test@test.com");
        assertThat(signup.password()).isEqualTo("secret");
        assertThat(validator.validate(signup)).isEmpty();
    }

    @Test
    void toleratesMissingFieldsSoValidationCanReportThem() {
        Credentials.Signup signup = new Credentials.Signup(null, null);

        assertThat(messages(validator.validate(signup)))
                .containsExactlyInAnyOrder("Email must be valid", "Password must be between 4 and 20 characters");
    }

    @Test
    void reportsOneMessagePerFailedFieldForBlankValues() {
        assertThat(validator.validate(new Credentials.Signup("   ", "   "))).hasSize(2);
        assertThat(messages(validator.validate(new Credentials.Signin("   ", "   "))))
                .containsExactlyInAnyOrder("Email must be valid", "You must supply a password");
    }

    @Test
    void wantsADotInTheEmailDomain() {
        assertThat(validator.validate(new Credentials.Signin("a@b", "pw"))).hasSize(1);
        assertThat(validator.validate(new Credentials.Signin("a@b.io", "pw"))).isEmpty();
    }

    @Test
    void neverPrintsThePassword() {
        assertThat(new Credentials.Signup("a@b.io", "hunter22")).asString().doesNotContain("hunter22");
        assertThat(new Credentials.Signin("a@b.io", "hunter22")).asString().doesNotContain("hunter22");
    }

    private static Set<String> messages(Set<? extends ConstraintViolation<?>> violations) {
        return violations.stream().map(ConstraintViolation::getMessage).collect(Collectors.toSet());
    }
}
