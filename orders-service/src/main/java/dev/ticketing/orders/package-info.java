/** The orders service: orders for tickets, a replica of the tickets, expiry. */
@NullMarked
package dev.ticketing.orders;

import org.jspecify.annotations.NullMarked;
