/** The web client: server-rendered pages over the APIs, live updates from the bus pushed over server-sent events. */
@NullMarked
package dev.ticketing.client;

import org.jspecify.annotations.NullMarked;
