package dev.ticketing.localstack;

import java.io.IOException;
import java.io.InputStream;

/**
 * A Java agent the launcher puts into every service JVM ({@code -javaagent}): it reads the pipe the
 * launcher holds as the child's stdin, and when that pipe closes, because the launcher died in any way,
 * even by SIGKILL, it exits the JVM normally, so Spring shuts down gracefully and no service outlives
 * its launcher. It must stay free of dependencies: it is copied alone into a tiny jar at run time.
 */
public final class ParentWatch {

    private static final long GRACE_MILLIS = 15_000;

    private ParentWatch() {
    }

    public static void premain(String arguments) {
        Thread watcher = new Thread(ParentWatch::awaitParentGone, "local-stack-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void awaitParentGone() {
        InputStream parent = System.in;
        byte[] ignored = new byte[64];
        try {
            while (parent.read(ignored) >= 0) {
                // The launcher never writes; anything read is ignored.
            }
        } catch (IOException e) {
            // A broken pipe means the same as end of input.
        }
        System.err.println("local-stack launcher is gone: shutting down");
        // The launcher may have taken the embedded MongoDB with it, so a graceful shutdown could wait on it
        // for a long time: give it a bounded while, then stop hard.
        Thread deadline = new Thread(ParentWatch::haltLater, "local-stack-parent-watch-deadline");
        deadline.setDaemon(true);
        deadline.start();
        System.exit(0);
    }

    private static void haltLater() {
        try {
            Thread.sleep(GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(1);
    }
}
