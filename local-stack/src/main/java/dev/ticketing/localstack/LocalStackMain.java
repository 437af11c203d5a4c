package dev.ticketing.localstack;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./run-local.sh}: starts the stack from the environment's settings and keeps it up until Ctrl-C or
 * SIGTERM, which run the shutdown hook that {@link LocalStack} registered to stop everything.
 */
public final class LocalStackMain {

    private LocalStackMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        try {
            LocalStack.start(StackSettings.fromEnvironment(System.getenv(), Path.of("")));
        } catch (LocalStackException e) {
            System.err.println("[local-stack] " + e.getMessage());
            System.exit(1);
        }
        new CountDownLatch(1).await();
    }
}
