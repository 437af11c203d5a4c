import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The training run that makes a service image's JDK AOT cache (infra/README.md, "Start-up: the AOT cache"). Maven
 * runs this file at {@code package} in each service module (root pom.xml, execution {@code aot-cache}):
 * <ol>
 * <li>refuses a JVM other than the image's: a cache works only with the JVM build and the {@code lib/modules} that
 * made it, so the build must run on the JDK the image's base is;</li>
 * <li>lays out the class path as Jib's packaged mode puts it in the image ({@code app/classpath/<jar>.original.jar},
 * then {@code app/libs/<jar>} in Maven's order), every file dated 1970-01-01T00:00:01Z as Jib dates them: the JVM
 * checks each jar's size and time, not its directory, so the cache made here is valid under {@code /app};</li>
 * <li>starts the application once with {@code -Dspring.context.exit=onRefresh} against an in-memory MongoDB (the
 * services create their indexes while the context refreshes) and no reachable NATS, and writes the cache.</li>
 * </ol>
 * Arguments: skip (true: no cache, and none left from an earlier build), the image's JVM ({@code java.vendor.version}),
 * main class, module jar, runtime class path file, layout directory, cache file.
 */
class AotCacheTraining {

    /** What Jib sets on every file it adds (its default filesModificationTime, EPOCH_PLUS_SECOND). */
    static final FileTime JIB_FILE_TIME = FileTime.fromMillis(1000);

    public static void main(String[] args) throws Exception {
        boolean skip = Boolean.parseBoolean(args[0]);
        String jvm = args[1];
        String mainClass = args[2];
        Path moduleJar = Path.of(args[3]);
        Path layout = Path.of(args[5]);
        Path cache = Path.of(args[6]);

        if (skip) {
            // A cache left by an earlier build must not ship in an image that runs with -XX:AOTMode=off.
            Files.deleteIfExists(cache);
            System.out.println("[aot-cache] skipped: the image gets no AOT cache and starts with -XX:AOTMode=off ("
                    + (jvm.startsWith("Temurin-" + System.getProperty("java.version") + "+") ? "-Daot.cache.skip"
                            : "this build runs Java " + Runtime.version() + "; the image's JVM is " + jvm) + ")");
            return;
        }
        requireImageJvm(jvm);
        List<String> dependencies = List.of(Files.readString(Path.of(args[4])).trim().split(java.io.File.pathSeparator));
        String classPath = layOut(moduleJar, dependencies, layout);
        Files.createDirectories(cache.getParent());
        Files.deleteIfExists(cache);
        Path log = layout.resolve("training.log");

        MongoServer mongo = new MongoServer(new MemoryBackend());
        try {
            mongo.bind("127.0.0.1", 0);
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:AOTCacheOutput=" + cache, "-Dspring.aot.enabled=true", "-Dspring.context.exit=onRefresh",
                    "-Dspring.mongodb.uri=mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort() + "/training",
                    "-Dticketing.nats.url=nats://127.0.0.1:" + closedPort(),
                    "-Dticketing.security.jwt-key=" + UUID.randomUUID() + UUID.randomUUID(),
                    "-cp", classPath, mainClass);
            ProcessBuilder training = new ProcessBuilder(command).directory(layout.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            // Nothing of the build's environment (JAVA_TOOL_OPTIONS, NATS_URL, STRIPE_KEY, ...) reaches the run.
            Map<String, String> environment = training.environment();
            String path = environment.getOrDefault("PATH", "");
            environment.clear();
            environment.put("PATH", path);
            long started = System.nanoTime();
            int exit = training.start().waitFor();
            // The JVM's temporary file, next to the cache: never in the image, even after a crash.
            Files.deleteIfExists(Path.of(cache + ".config"));
            if (exit != 0 || !Files.isRegularFile(cache)) {
                fail("the training run exited with " + exit + " and " + (Files.isRegularFile(cache) ? "" : "no ")
                        + "cache; its output is in " + log);
            }
            System.out.printf("[aot-cache] %s: %d MB from a training run of %.1f s (output: %s)%n", cache,
                    Files.size(cache) >> 20, (System.nanoTime() - started) / 1e9, log);
        } finally {
            mongo.shutdownNow();
        }
    }

    private static void requireImageJvm(String expected) throws IOException {
        String actual = System.getProperty("java.vendor.version");
        Path release = Path.of(System.getProperty("java.home"), "release");
        boolean jdk = Files.isRegularFile(release) && Files.readString(release).contains("IMAGE_TYPE=\"JDK\"");
        if (!expected.equals(actual) || !jdk) {
            fail("the image's JVM is the " + expected + " JDK, and an AOT cache works only with the JVM build that made"
                    + " it; this build runs " + actual + " (" + System.getProperty("java.home") + ")" + (jdk ? "" : ", not a JDK")
                    + ". Build with that JDK, or with -Daot.cache.skip for images without the cache.");
        }
    }

    private static String layOut(Path moduleJar, List<String> dependencies, Path layout) throws IOException {
        List<String> classPath = new ArrayList<>();
        classPath.add(place(moduleJar, layout.resolve("app/classpath").resolve(imageName(moduleJar))).toString());
        for (String dependency : dependencies) {
            Path jar = Path.of(dependency);
            if (!Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) {
                fail("dependency " + jar + " is not a jar (build with `package`, as skaffold does)");
            }
            classPath.add(place(jar, layout.resolve("app/libs").resolve(jar.getFileName().toString())).toString());
        }
        return String.join(java.io.File.pathSeparator, classPath);
    }

    /** Jib names a jar that Spring Boot repackaged {@code <name>.original.jar}. */
    private static String imageName(Path moduleJar) {
        String name = moduleJar.getFileName().toString();
        return name.endsWith(".jar.original") ? name.replace(".jar.original", ".original.jar") : name;
    }

    private static Path place(Path source, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(target, JIB_FILE_TIME);
        return target;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void fail(String message) {
        System.err.println("[aot-cache] " + message);
        System.exit(1);
    }
}
