package dev.ticketing.tickets;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Tickets for sale: versioned records, published through the outbox, reserved and released by orders. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TicketsApplication {

    public static void main(String[] args) {
        SpringApplication.run(TicketsApplication.class, args);
    }
}
