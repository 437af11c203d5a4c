/** The payments service: one payment per order through a card provider, a replica of the orders, refunds. */
@NullMarked
package dev.ticketing.payments;

import org.jspecify.annotations.NullMarked;
