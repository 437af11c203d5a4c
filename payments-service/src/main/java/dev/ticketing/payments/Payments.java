package dev.ticketing.payments;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.mongodb.repository.MongoRepository;

/** The payments collection. */
interface Payments extends MongoRepository<Payment, String> {

    Optional<Payment> findByOrderId(String orderId);

    /** Payments whose work with the provider was left unfinished past its lease, oldest first. */
    List<Payment> findByLeaseExpiresAtLessThanOrderByLeaseExpiresAtAsc(Instant now, Limit limit);
}
