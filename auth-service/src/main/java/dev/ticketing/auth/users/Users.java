package dev.ticketing.auth.users;

import java.util.Optional;
import org.springframework.data.mongodb.repository.MongoRepository;

interface Users extends MongoRepository<User, String> {

    /** Takes a plain string, so a value can never reach MongoDB as a query operator. */
    Optional<User> findByEmail(String email);
}
