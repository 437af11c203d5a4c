/** The orders service: orders for tickets, a replica of the tickets, expiry, completion by payment. */
@NullMarked
package dev.ticketing.orders;

import org.jspecify.annotations.NullMarked;
