package dev.ticketing.auth.users;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** One normalization for every comparison and every stored address: trimmed and lower-cased. */
final class Emails {

    private Emails() {
    }

    static @Nullable String normalize(@Nullable String email) {
        return email == null ? null : email.strip().toLowerCase(Locale.ROOT);
    }
}
