package dev.ticketing.systemtests;

import static org.awaitility.Awaitility.await;

import dev.ticketing.localstack.LocalStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * The launcher as {@code ./run-local.sh} runs it: {@code java -jar local-stack/target/local-stack-<v>-exec.jar}
 * in the repository, configured only by environment variables, its console captured to a file.
 */
final class LauncherProcess implements AutoCloseable {

    /** Variables of the developer's shell that would make the test depend on it. */
    private static final List<String> HERMETIC = List.of("NATS_URL", "SPRING_MONGODB_URI", "MONGODB_URI", "JWT_KEY",
            "ORDER_EXPIRATION", "ORDERS_REPLICAS", "PORT", "DATA_DIR", "SERVICE_JVM_OPTS", "STRIPE_KEY");

    private final Process process;
    private final Path console;

    private LauncherProcess(Process process, Path console) {
        this.process = process;
        this.console = console;
    }

    static LauncherProcess start(Path dataDir, int port, Map<String, String> environment, Path console) {
        Path root = TestStack.repositoryRoot();
        Path jar = root.resolve("local-stack").resolve("target")
                .resolve("local-stack-" + LocalStack.projectVersion() + "-exec.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build with ./mvnw -B -pl system-tests -am verify");
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-jar", jar.toString())
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(console.toFile());
        HERMETIC.forEach(builder.environment()::remove);
        builder.environment().put("DATA_DIR", dataDir.toString());
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(console.getParent());
            return new LauncherProcess(builder.start(), console);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + jar, e);
        }
    }

    /** Waits for the launcher's last start-up line; fails at once if it exits instead. */
    void awaitUp(Duration bound) {
        try {
            await("the launcher to print 'Ticketing is up'").atMost(bound).pollInterval(Duration.ofMillis(200))
                    .failFast("the launcher exited", () -> !process.isAlive())
                    .until(() -> consoleText().contains("Ticketing is up at http://localhost:"));
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(e.getMessage() + "; the launcher's console:\n" + consoleText(), e);
        }
    }

    String consoleText() {
        try {
            return Files.readString(console, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    Process process() {
        return process;
    }

    /** Its children (service JVMs, nats-server), as they are now. */
    List<ProcessHandle> children() {
        return process.descendants().toList();
    }

    /** Whatever a failed test left behind is killed, launcher first so that children see their parent go. */
    @Override
    public void close() {
        List<ProcessHandle> children = children();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
    }
}
