package dev.ticketing.localstack;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import dev.ticketing.testsupport.ChildProcess;
import dev.ticketing.testsupport.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.h2.mvstore.MVStore;

/**
 * Starts each service from its extracted jar with the JDK's ahead-of-time cache (JDK 25+: JEP 483, 514, 515) or, on
 * JDK 21–24, a CDS archive, as Spring Boot documents: one training run that exits once the context is refreshed
 * ({@code spring.context.exit=onRefresh}) writes it. Kept in {@code <root>/<service>/<key>/} (the extracted
 * {@code app/} and {@code app.aot} or {@code app.jsa}), where the key hashes the jar's content, the JDK's version and
 * the JVM options: the JVM refuses a cache of another JDK, classpath or file timestamp (one warning, then a start
 * without it), so a new key means a new cache, and the old one is deleted. Written under a temporary name and renamed:
 * never half-made. Not thread-safe for one root: the stack's data-dir lock keeps one launcher per root.
 */
public final class StartupCache {

    /** The cache a JDK can make: the AOT cache needs 25 ({@code -XX:AOTCacheOutput} makes it in one run). */
    enum Kind {
        AOT("app.aot", "-XX:AOTCacheOutput=", "-XX:AOTCache="),
        CDS("app.jsa", "-XX:ArchiveClassesAtExit=", "-XX:SharedArchiveFile=");

        final String fileName;
        final String makeOption;
        final String useOption;

        Kind(String fileName, String makeOption, String useOption) {
            this.fileName = fileName;
            this.makeOption = makeOption;
            this.useOption = useOption;
        }

        static Kind of(int javaFeatureVersion) {
            return javaFeatureVersion >= 25 ? AOT : CDS;
        }
    }

    private static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(3);

    private final Path root;
    private final Path java;
    private final List<String> jvmOptions;
    private final Path logsDir;
    private final ChildProcess.Reporter reporter;
    private final Kind kind = Kind.of(Runtime.version().feature());

    /** Services run by this JVM's own {@code java}, as the stack runs them. */
    public StartupCache(Path root, List<String> jvmOptions, Path logsDir, ChildProcess.Reporter reporter) {
        this.root = root;
        this.java = Path.of(System.getProperty("java.home"), "bin", "java");
        this.jvmOptions = List.copyOf(jvmOptions);
        this.logsDir = logsDir;
        this.reporter = reporter;
    }

    /**
     * For each service (name to jar), what follows the JVM options on its command line: {@code -XX:AOTCache=… -jar
     * <extracted jar>}, its cache made first where missing (the training runs in parallel); or {@code -jar <jar>} as
     * before for a service whose cache cannot be made, saying why.
     */
    public Map<String, List<String>> launchArguments(Map<String, Path> jars) {
        if (kind == Kind.CDS) {
            reporter.status("Java " + Runtime.version().feature() + " has no AOT cache (JDK 25+): the services start "
                    + "with a CDS archive instead");
        }
        Map<String, Path> keyDirs = new LinkedHashMap<>();
        jars.forEach((service, jar) -> keyDirs.put(service, keyDir(service, jar)));
        List<String> missing = jars.keySet().stream()
                .filter(service -> !Files.isRegularFile(keyDirs.get(service).resolve(kind.fileName))).toList();
        Map<String, Boolean> made = new LinkedHashMap<>();
        if (!missing.isEmpty()) {
            made = make(missing, jars, keyDirs);
        }
        Map<String, List<String>> arguments = new LinkedHashMap<>();
        for (Map.Entry<String, Path> entry : jars.entrySet()) {
            Path dir = keyDirs.get(entry.getKey());
            Path jar = entry.getValue();
            arguments.put(entry.getKey(), made.getOrDefault(entry.getKey(), true)
                    ? List.of(kind.useOption + dir.resolve(kind.fileName), "-jar",
                            dir.resolve("app").resolve(jar.getFileName()).toString())
                    : List.of("-jar", jar.toString()));
        }
        return arguments;
    }

    /** The training runs of the services without a cache, in parallel: whether each made one. */
    private Map<String, Boolean> make(List<String> services, Map<String, Path> jars, Map<String, Path> keyDirs) {
        long begin = System.nanoTime();
        reporter.status("making the start-up cache of " + String.join(", ", services)
                + " (a training run each, once per jar; AOT_CACHE=off skips it)");
        Map<String, Boolean> made = new LinkedHashMap<>();
        try (TrainingMongo mongo = TrainingMongo.start();
                ExecutorService trainers = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<String, Future<Boolean>> making = new LinkedHashMap<>();
            for (String service : services) {
                making.put(service, trainers.submit(() -> makeOrSayWhyNot(service, jars.get(service),
                        keyDirs.get(service), mongo.uri())));
            }
            for (Map.Entry<String, Future<Boolean>> each : making.entrySet()) {
                made.put(each.getKey(), each.getValue().get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while making the start-up cache", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot make the start-up cache in " + root + ": " + e.getCause(),
                    e.getCause());
        }
        reporter.status(String.format("start-up cache made in %.1f s (in %s)", (System.nanoTime() - begin) / 1e9,
                root));
        return made;
    }

    /** A cache that cannot be written (a full disk, say) costs start-up time, never the stack. */
    private boolean makeOrSayWhyNot(String service, Path jar, Path dir, String mongoUri) throws InterruptedException {
        try {
            return make(service, jar, dir, mongoUri);
        } catch (IOException | UncheckedIOException e) {
            reporter.status(service + ": cannot write its start-up cache in " + dir + " (" + e
                    + "): started without it");
            return false;
        }
    }

    /** Extracts the jar (unless done), then one training run; false, with one line saying why, if either fails. */
    private boolean make(String service, Path jar, Path dir, String mongoUri) throws IOException, InterruptedException {
        deleteOtherKeys(dir);
        Path app = dir.resolve("app");
        if (!Files.isDirectory(app)) {
            Path partial = dir.resolve("app.part");
            deleteRecursively(partial);
            Files.createDirectories(dir);
            if (run(service + "-extract", List.of(java.toString(), "-Djarmode=tools", "-jar", jar.toString(),
                    "extract", "--destination", partial.toString()), Map.of()) != 0) {
                reporter.status(service + ": cannot extract " + jar + " (see " + log(service + "-extract")
                        + "): started without a start-up cache");
                return false;
            }
            Files.move(partial, app, StandardCopyOption.ATOMIC_MOVE);
        }
        Path cache = dir.resolve(kind.fileName);
        Path partial = dir.resolve(kind.fileName + ".part");
        Files.deleteIfExists(partial);
        Files.deleteIfExists(dir.resolve(kind.fileName + ".part.config")); // the JDK's own temporary, if interrupted
        List<String> command = Stream.of(List.of(java.toString()), jvmOptions, List.of(kind.makeOption + partial,
                LocalStack.SPRING_AOT, "-Dspring.context.exit=onRefresh", "-jar", app.resolve(jar.getFileName()).toString()))
                .flatMap(List::stream).toList();
        long begin = System.nanoTime();
        int exit = run(service + "-training", command, trainingEnvironment(service, mongoUri));
        if (exit != 0 || !Files.isRegularFile(partial)) {
            Files.deleteIfExists(partial);
            reporter.status(service + ": its training run failed (exit " + exit + ", see " + log(service + "-training")
                    + "): started without a start-up cache");
            return false;
        }
        Files.move(partial, cache, StandardCopyOption.ATOMIC_MOVE);
        reporter.status(String.format("%s: start-up cache made in %.1f s", service, (System.nanoTime() - begin) / 1e9));
        return true;
    }

    /**
     * Enough for the context to refresh: a throwaway MongoDB (index creation needs one), no NATS (the bus connects in
     * the background), a throwaway key. Nothing runs: listeners, relays and the web server start after the refresh.
     */
    private static Map<String, String> trainingEnvironment(String service, String mongoUri) {
        byte[] key = new byte[48];
        new SecureRandom().nextBytes(key);
        return Map.of("SPRING_MONGODB_URI", LocalStack.withDatabase(mongoUri, "training"),
                "NATS_URL", "nats://127.0.0.1:" + Ports.freeLoopbackPort(),
                "JWT_KEY", Base64.getEncoder().encodeToString(key),
                "STRIPE_KEY", "",
                "SERVER_ADDRESS", "127.0.0.1",
                "SERVER_PORT", "0",
                "POD_NAME", service + "-training");
    }

    private int run(String name, List<String> command, Map<String, String> environment) throws InterruptedException {
        ChildProcess child = new ChildProcess(name, command, environment, log(name), reporter::status);
        Process process = child.start();
        if (!process.waitFor(TRAINING_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            child.stop(true, Duration.ofSeconds(5));
            return -1;
        }
        return process.exitValue();
    }

    private Path log(String name) {
        return logsDir.resolve(name + ".log");
    }

    /** {@code <root>/<service>/<key>}: a changed jar, JDK or JVM option is a new key. */
    Path keyDir(String service, Path jar) {
        try (InputStream in = Files.newInputStream(jar)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
            digest.update((Runtime.version() + "\n" + System.getProperty("java.home") + "\n" + kind + "\n"
                    + String.join(" ", jvmOptions)).getBytes(StandardCharsets.UTF_8));
            return root.resolve(service).resolve(HexFormat.of().formatHex(digest.digest(), 0, 8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + jar, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Caches of earlier jars or JDKs are never used again. */
    private static void deleteOtherKeys(Path keyDir) throws IOException {
        Path serviceDir = keyDir.getParent();
        if (!Files.isDirectory(serviceDir)) {
            return;
        }
        try (Stream<Path> keys = Files.list(serviceDir)) {
            for (Path other : keys.filter(path -> !path.equals(keyDir)).toList()) {
                deleteRecursively(other);
            }
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path each : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        }
    }

    /** An in-memory MongoDB-compatible server for the training runs, so that they leave nothing in the stack's. */
    private record TrainingMongo(MongoServer server, String uri) implements AutoCloseable {

        static TrainingMongo start() {
            MongoServer server = new MongoServer(new H2Backend(new MVStore.Builder().open()));
            server.bind("127.0.0.1", 0);
            return new TrainingMongo(server, "mongodb://127.0.0.1:" + server.getLocalAddress().getPort());
        }

        @Override
        public void close() {
            server.shutdownNow();
        }
    }
}
