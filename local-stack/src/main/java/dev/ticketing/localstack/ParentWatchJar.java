package dev.ticketing.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Writes the {@link ParentWatch} agent into a jar of its own, whether the launcher runs from a jar or classes. */
final class ParentWatchJar {

    private ParentWatchJar() {
    }

    static Path writeTo(Path directory) {
        String entry = ParentWatch.class.getName().replace('.', '/') + ".class";
        Path jar = directory.resolve("parent-watch.jar");
        Path temporary = directory.resolve("parent-watch.jar.tmp");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), ParentWatch.class.getName());
        try (InputStream bytes = ParentWatch.class.getClassLoader().getResourceAsStream(entry)) {
            if (bytes == null) {
                throw new IllegalStateException("Cannot find " + entry + " on the launcher's class path");
            }
            try (OutputStream file = Files.newOutputStream(temporary);
                    JarOutputStream out = new JarOutputStream(file, manifest)) {
                out.putNextEntry(new JarEntry(entry));
                bytes.transferTo(out);
                out.closeEntry();
            }
            // Atomic, so a service starting at the same moment never reads half a jar.
            return Files.move(temporary, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + jar, e);
        }
    }
}
