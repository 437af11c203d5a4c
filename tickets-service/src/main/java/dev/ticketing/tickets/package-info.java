/** The tickets service: tickets for sale, published through each ticket's outbox, reserved and released by orders. */
@NullMarked
package dev.ticketing.tickets;

import org.jspecify.annotations.NullMarked;
