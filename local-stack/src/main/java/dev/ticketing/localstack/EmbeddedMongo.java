package dev.ticketing.localstack;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.h2.mvstore.MVStore;

/**
 * A MongoDB-compatible server inside the launcher (mongo-java-server), on a loopback port, whose data lives
 * in one H2 MVStore file under the data dir so that it survives restarts of the stack. Like the servers the
 * tests use it has no transactions; the services need none.
 */
final class EmbeddedMongo implements AutoCloseable {

    private static final int COMMIT_DELAY_MILLIS = 100;

    private final H2Backend backend;
    private final MongoServer server;
    private final String uri;

    private EmbeddedMongo(H2Backend backend, MongoServer server, String uri) {
        this.backend = backend;
        this.server = server;
        this.uri = uri;
    }

    static EmbeddedMongo start(Path directory) {
        Path file = directory.resolve("ticketing.mv");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + directory, e);
        }
        H2Backend backend;
        try {
            MVStore store = new MVStore.Builder().fileName(file.toString()).open();
            // MVStore writes changes in the background; a short delay bounds what a launcher killed with
            // SIGKILL loses to the last tenth of a second (the default second lost acknowledged updates).
            store.setAutoCommitDelay(COMMIT_DELAY_MILLIS);
            backend = new H2Backend(store);
        } catch (RuntimeException e) {
            throw new LocalStackException("Cannot open the MongoDB data file " + file + " (" + e.getMessage()
                    + "). If it is damaged, delete it to start with empty databases.", e);
        }
        MongoServer server = new MongoServer(backend);
        server.bind(new InetSocketAddress("127.0.0.1", 0)); // a free port, which it reports
        return new EmbeddedMongo(backend, server, "mongodb://127.0.0.1:" + server.getLocalAddress().getPort());
    }

    /** The server's connection string, without a database. */
    String uri() {
        return uri;
    }

    @Override
    public void close() {
        server.shutdownNow();
        // Commits what the MVStore has not written yet.
        backend.close();
    }
}
