package dev.ticketing.systemtests;

import dev.ticketing.localstack.LocalStack;
import dev.ticketing.localstack.StackSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The launcher used as a library: the whole system in a temporary data dir on free ports. Closing it stops
 * every process, keeps the components' logs in {@code target/stack-logs/<name>/} for a failed build to
 * show, and deletes the data dir.
 */
final class TestStack implements AutoCloseable {

    private final String name;
    private final Path dataDir;
    private final LocalStack stack;
    private final EdgeClient edge;

    private TestStack(String name, Path dataDir, LocalStack stack) {
        this.name = name;
        this.dataDir = dataDir;
        this.stack = stack;
        this.edge = new EdgeClient(stack.edgeUri());
    }

    static TestStack start(String name, Consumer<StackSettings.Builder> customize) {
        Path dataDir = temporaryDataDir(name);
        StackSettings.Builder settings = StackSettings.builder(repositoryRoot(), dataDir)
                .port(0)
                .echoLogs(false);
        customize.accept(settings);
        try {
            return new TestStack(name, dataDir, LocalStack.start(settings.build()));
        } catch (RuntimeException e) {
            keepLogsAndDelete(name, dataDir);
            throw e;
        }
    }

    static Path repositoryRoot() {
        return StackSettings.repositoryRootAbove(Path.of(""));
    }

    static Path temporaryDataDir(String name) {
        try {
            return Files.createTempDirectory("ticketing-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    LocalStack stack() {
        return stack;
    }

    EdgeClient edge() {
        return edge;
    }

    @Override
    public void close() {
        try {
            stack.close();
        } finally {
            keepLogsAndDelete(name, dataDir);
        }
    }

    static void keepLogsAndDelete(String name, Path dataDir) {
        Path logs = dataDir.resolve("logs");
        Path kept = Path.of("target", "stack-logs", name);
        try {
            if (Files.isDirectory(logs)) {
                Files.createDirectories(kept);
                try (Stream<Path> files = Files.list(logs)) {
                    for (Path file : files.toList()) {
                        Files.copy(file, kept.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            try (Stream<Path> all = Files.walk(dataDir)) {
                all.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot clean up " + dataDir, e);
        }
    }
}
