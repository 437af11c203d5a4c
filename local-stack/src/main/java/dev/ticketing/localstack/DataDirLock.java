package dev.ticketing.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One stack per data dir: two would share a NATS store and a MongoDB file. The OS releases the lock when the
 * launcher dies, however it dies, so a stale lock never blocks the next run.
 */
record DataDirLock(FileChannel channel) implements AutoCloseable {

    static DataDirLock acquire(Path dataDir) {
        Path file = dataDir.resolve(".lock");
        try {
            Files.createDirectories(dataDir);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new LocalStackException("Another local stack is running with DATA_DIR=" + dataDir
                        + ". Stop it first (Ctrl-C in its terminal), or use another DATA_DIR and PORT.");
            }
            return new DataDirLock(channel);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot lock " + file, e);
        }
    }

    /** Closing the channel releases the lock. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // The OS releases it with the process anyway.
        }
    }
}
