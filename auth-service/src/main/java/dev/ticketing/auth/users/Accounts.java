package dev.ticketing.auth.users;

import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/** Registers users and checks their passwords. Inputs arrive already normalized and validated. */
@Service
class Accounts {

    private static final Logger log = LoggerFactory.getLogger(Accounts.class);

    private final Users users;
    private final PasswordEncoder passwords;
    /** Compared against when the email is unknown, so both failures cost one hash check and look alike. */
    private final String decoyHash;

    Accounts(Users users, PasswordEncoder passwords) {
        this.users = users;
        this.passwords = passwords;
        this.decoyHash = passwords.encode(UUID.randomUUID().toString());
    }

    User signUp(String email, String password) {
        try {
            // No look-up first: the unique index decides, so concurrent sign-ups cannot both win.
            User user = users.insert(User.register(email, passwords.encode(password)));
            log.info("User {} signed up", user.id());
            return user;
        } catch (DuplicateKeyException taken) {
            throw new EmailInUse();
        }
    }

    User signIn(String email, String password) {
        Optional<User> user = users.findByEmail(email);
        boolean matches = passwords.matches(password, user.map(User::passwordHash).orElse(decoyHash));
        if (user.isEmpty() || !matches) {
            throw new InvalidCredentials();
        }
        return user.get();
    }
}
