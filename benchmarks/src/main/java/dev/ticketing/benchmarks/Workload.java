package dev.ticketing.benchmarks;

import dev.ticketing.events.EventCodec;
import dev.ticketing.events.EventEnvelope;
import dev.ticketing.events.EventHeaders;
import dev.ticketing.events.EventType;
import dev.ticketing.events.TicketCreated;
import io.nats.client.PublishOptions;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;

/**
 * The message the bus benchmarks send: a {@code ticket.created} event as the library puts it on the wire, and the raw
 * twin with the same payload bytes, headers and message id, so raw and library differ only by what the library does.
 * Event ids are {@code UUID(batch, index)}: unique per batch (JetStream de-duplicates by id) and carrying the index,
 * so a receiver knows when its message was due without touching the payload.
 */
final class Workload {

    static final String RAW_STREAM = "BENCH_RAW";
    static final String RAW_SUBJECTS = "bench.raw.>";
    static final String RAW_SUBJECT = "bench.raw.ticket.created";

    private static final TicketCreated EVENT = new TicketCreated("ticket-00001234", 0, "Benchmark concert",
            new BigDecimal("42.50"), "user-00005678");

    private final byte[] payload = new EventCodec().encode(EVENT);
    private final String libraryStream;

    Workload(String libraryStream) {
        this.libraryStream = libraryStream;
    }

    /** A fresh id batch: ids never collide with earlier batches inside the duplicate window. */
    static long newBatch() {
        return ThreadLocalRandom.current().nextLong();
    }

    static int index(UUID eventId) {
        return (int) eventId.getLeastSignificantBits();
    }

    static EventEnvelope envelope(long batch, int index) {
        return new EventEnvelope(new UUID(batch, index), EVENT, Instant.now());
    }

    /** The library's events of a fresh id batch. */
    static IntFunction<EventEnvelope> newEvents() {
        long batch = newBatch();
        return i -> envelope(batch, i);
    }

    /** What a careful jnats user sends for the same event: payload, metadata headers, message id. */
    NatsMessage rawMessage(long batch, int index) {
        return NatsMessage.builder().subject(RAW_SUBJECT).headers(headers(new UUID(batch, index).toString()))
                .data(payload).build();
    }

    PublishOptions rawOptions(long batch, int index) {
        return PublishOptions.builder().messageId(new UUID(batch, index).toString()).expectedStream(RAW_STREAM)
                .build();
    }

    /** The same number of bytes with no headers and no message id: what the metadata and de-duplication cost. */
    NatsMessage bareMessage() {
        return NatsMessage.builder().subject(RAW_SUBJECT).data(Arrays.copyOf(payload, payloadBytes() + headerBytes()))
                .build();
    }

    int payloadBytes() {
        return payload.length;
    }

    /** Header bytes of an event as sent: the library's four headers plus message id and expected stream. */
    int headerBytes() {
        String id = new UUID(0, 0).toString();
        return headers(id).put("Nats-Msg-Id", id).put("Nats-Expected-Stream", libraryStream).serializedLength();
    }

    private static Headers headers(String id) {
        return new Headers()
                .put(EventHeaders.EVENT_ID, id)
                .put(EventHeaders.EVENT_TYPE, EventType.TICKET_CREATED.subject())
                .put(EventHeaders.SCHEMA_VERSION, Integer.toString(EventType.SCHEMA_VERSION))
                .put(EventHeaders.OCCURRED_AT, Instant.now().toString());
    }
}
