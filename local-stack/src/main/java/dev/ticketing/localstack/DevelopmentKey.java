package dev.ticketing.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * The HS256 secret shared by the services: {@code JWT_KEY} when given, otherwise a random development key
 * created once and kept in the data dir, so sessions survive a restart of the stack.
 */
record DevelopmentKey(String value, String origin) {

    private static final int MIN_BYTES = 32;

    static DevelopmentKey resolve(@Nullable String fromEnvironment, Path dataDir) {
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            int bytes = fromEnvironment.getBytes(StandardCharsets.UTF_8).length;
            if (bytes < MIN_BYTES) {
                throw new IllegalStateException("JWT_KEY is too short: " + bytes + " bytes, but HS256 needs at least "
                        + MIN_BYTES + ". Unset it to use a development key, or set e.g. "
                        + "JWT_KEY=\"$(openssl rand -base64 48)\".");
            }
            return new DevelopmentKey(fromEnvironment, "JWT_KEY");
        }
        Path file = dataDir.resolve("jwt-key");
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            String stored = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (stored.getBytes(StandardCharsets.UTF_8).length < MIN_BYTES) {
                throw new IllegalStateException(file + " holds a key shorter than " + MIN_BYTES
                        + " bytes; delete it and a new one is created.");
            }
            return new DevelopmentKey(stored, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the development key " + file, e);
        }
    }

    private static void create(Path file) throws IOException {
        byte[] random = new byte[48];
        new SecureRandom().nextBytes(random);
        try {
            // Readable by its owner only, created that way so it is never briefly world-readable.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, Base64.getEncoder().encodeToString(random) + "\n", StandardCharsets.UTF_8);
        } catch (FileAlreadyExistsException e) {
            // Another launcher on the same data dir made it first: use theirs.
        }
    }
}
