package dev.ticketing.benchmarks;

import dev.ticketing.localstack.LocalStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A directory that looks like a checkout holding only some of the services: each module's {@code pom.xml} and
 * its built jar, linked from the real checkout. {@link LocalStack} starts whichever service modules the
 * checkout has, so a stack on this view runs only those. The throughput phase needs exactly that: the edge,
 * NATS, MongoDB, auth and tickets, and no orders-service consuming every event on the same two cores.
 * (A workaround: StackSettings has no option to choose the services.)
 */
final class CheckoutView {

    private CheckoutView() {
    }

    static Path create(Path repository, Path view, List<String> modules) {
        try {
            for (String module : modules) {
                String jarName = module + "-" + LocalStack.projectVersion() + ".jar";
                Path jar = repository.resolve(module).resolve("target").resolve(jarName);
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalStateException(jar + " is missing. Build it with: ./mvnw -B -q -pl benchmarks -am"
                            + " package -DskipTests");
                }
                Path target = Files.createDirectories(view.resolve(module).resolve("target"));
                Files.copy(repository.resolve(module).resolve("pom.xml"), view.resolve(module).resolve("pom.xml"));
                Files.createSymbolicLink(target.resolve(jarName), jar.toAbsolutePath());
            }
            return view;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make a checkout view in " + view, e);
        }
    }
}
