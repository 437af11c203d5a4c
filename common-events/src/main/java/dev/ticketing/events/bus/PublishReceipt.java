package dev.ticketing.events.bus;

/** JetStream's acknowledgement of a publish: where the event was stored, or that it already was. */
public record PublishReceipt(String stream, long sequence, boolean duplicate) {
}
