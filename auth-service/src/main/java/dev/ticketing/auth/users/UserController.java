package dev.ticketing.auth.users;

import dev.ticketing.web.security.CurrentUser;
import dev.ticketing.web.security.SessionCookies;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "users", description = "Sign-up, sign-in, sign-out and the current user")
@RestController
@RequestMapping("/api/users")
class UserController {

    private final Accounts accounts;
    private final SessionCookies cookies;

    UserController(Accounts accounts, SessionCookies cookies) {
        this.accounts = accounts;
        this.cookies = cookies;
    }

    record UserView(String id, String email) {

        static UserView of(User user) {
            return new UserView(Objects.requireNonNull(user.id()), user.email());
        }
    }

    record CurrentUserView(@Nullable Details currentUser) {

        /** {@code iat} in seconds since the epoch, as in the token. */
        record Details(String id, String email, long iat) {
        }
    }

    @Operation(summary = "Register and sign in", description = "Sets the session cookie.")
    @ApiResponse(responseCode = "201", description = "Signed up")
    @PostMapping("/signup")
    ResponseEntity<UserView> signUp(@Valid @RequestBody Credentials.Signup request) {
        // @Valid: both are present.
        return signedIn(HttpStatus.CREATED,
                accounts.signUp(Objects.requireNonNull(request.email()), Objects.requireNonNull(request.password())));
    }

    @Operation(summary = "Sign in", description = "Sets the session cookie.")
    @ApiResponse(responseCode = "200", description = "Signed in")
    @PostMapping("/signin")
    ResponseEntity<UserView> signIn(@Valid @RequestBody Credentials.Signin request) {
        return signedIn(HttpStatus.OK,
                accounts.signIn(Objects.requireNonNull(request.email()), Objects.requireNonNull(request.password())));
    }

    @Operation(summary = "Sign out", description = "Clears the session cookie; answers {}.")
    @ApiResponse(responseCode = "200", description = "Signed out")
    @PostMapping("/signout")
    ResponseEntity<Map<String, Object>> signOut() {
        return ResponseEntity.ok()
                .header(HttpHeaders.SET_COOKIE, cookies.cleared().toString())
                .body(Map.of());
    }

    @Operation(summary = "Who is signed in", description = "currentUser is null for anonymous callers; never 401.")
    @ApiResponse(responseCode = "200", description = "The caller, or null")
    @GetMapping("/currentuser")
    CurrentUserView currentUser(Optional<CurrentUser> user) {
        return new CurrentUserView(user
                .map(signedIn -> new CurrentUserView.Details(signedIn.id(), signedIn.email(),
                        signedIn.issuedAt().getEpochSecond()))
                .orElse(null));
    }

    private ResponseEntity<UserView> signedIn(HttpStatus status, User user) {
        String id = Objects.requireNonNull(user.id(), "a stored user has an id");
        return ResponseEntity.status(status)
                .header(HttpHeaders.SET_COOKIE, cookies.issueFor(id, user.email()).toString())
                .body(UserView.of(user));
    }
}
