package dev.ticketing.testsupport;

/** Where a test's real servers come from; chosen once per JVM and logged. */
public enum ServerMode {
    /** Testcontainers, when a Docker engine answers. */
    CONTAINERS,
    /** Servers someone else runs, named by {@code NATS_URL} / {@code SPRING_MONGODB_URI}. */
    EXTERNAL,
    /** A {@code nats-server} child process and an in-process mongo-java-server. */
    EMBEDDED
}
