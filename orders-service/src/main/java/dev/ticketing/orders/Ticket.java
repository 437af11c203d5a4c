package dev.ticketing.orders;

import java.math.BigDecimal;
import org.bson.types.Decimal128;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.mapping.Field;
import org.springframework.data.mongodb.core.mapping.FieldType;

/**
 * This service's copy of a ticket, as the tickets service last described it. The tickets service owns the
 * ticket and its version: the replica takes the publisher's id and version and never changes a version itself
 * (so no {@code @Version} here). Only {@link Tickets} writes it, with conditional writes on the version.
 */
@Document("tickets")
class Ticket {

    @Id
    private final String id;
    private final String title;
    @Field(targetType = FieldType.DECIMAL128)
    private final BigDecimal price;
    private final long version;

    @PersistenceCreator
    Ticket(String id, String title, BigDecimal price, long version) {
        this.id = id;
        this.title = title;
        this.price = normalized(price);
        this.version = version;
    }

    /**
     * One spelling per amount, as the tickets service shows it: {@code 10.50} becomes {@code 10.5} and
     * {@code 1E+1} becomes {@code 10}.
     */
    static BigDecimal normalized(BigDecimal price) {
        BigDecimal stripped = price.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    /**
     * The price as stored: the normalized amount as a Decimal128, as {@code @Field(targetType = DECIMAL128)} maps
     * it. Throws {@link NumberFormatException} for an amount Decimal128 cannot hold exactly.
     */
    static Decimal128 stored(BigDecimal price) {
        return new Decimal128(normalized(price));
    }

    String id() {
        return id;
    }

    String title() {
        return title;
    }

    BigDecimal price() {
        return price;
    }

    long version() {
        return version;
    }
}
