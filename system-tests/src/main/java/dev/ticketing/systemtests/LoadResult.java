package dev.ticketing.systemtests;

/** What a bounded load run measured. Latencies in milliseconds; {@code failures} = answers other than 201. */
record LoadResult(String tool, int clients, double seconds, long requests, double requestsPerSecond, double p50,
        double p90, double p99, long failures) {
}
