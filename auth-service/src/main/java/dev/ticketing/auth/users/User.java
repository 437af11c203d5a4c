package dev.ticketing.auth.users;

import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A registered user. {@code email} is stored normalized (trimmed, lower-cased) under a unique index, so equal
 * addresses cannot both be registered; the password exists only as a salted hash.
 */
@Document(User.COLLECTION)
record User(@Id @Nullable String id, String email, String passwordHash) {

    static final String COLLECTION = "users";

    static User register(String email, String passwordHash) {
        return new User(null, email, passwordHash);
    }
}
