package dev.ticketing.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupCacheTests {

    @TempDir
    Path dir;

    @Test
    void usesTheAotCacheFromJava25AndCdsBefore() {
        assertThat(StartupCache.Kind.of(21)).isEqualTo(StartupCache.Kind.CDS);
        assertThat(StartupCache.Kind.of(24)).isEqualTo(StartupCache.Kind.CDS);
        assertThat(StartupCache.Kind.of(25)).isEqualTo(StartupCache.Kind.AOT);
    }

    @Test
    void keysTheCacheOnTheJarsContentAndTheJvmOptionsNotOnItsTimestamp() throws Exception {
        Path jar = Files.writeString(dir.resolve("auth-service.jar"), "one");
        StartupCache cache = new StartupCache(dir.resolve("aot"), List.of("-Xmx256m"), dir.resolve("logs"),
                message -> { });
        Path key = cache.keyDir("auth-service", jar);

        Files.setLastModifiedTime(jar, FileTime.from(Instant.EPOCH));
        assertThat(cache.keyDir("auth-service", jar)).isEqualTo(key);
        assertThat(key.getParent()).isEqualTo(dir.resolve("aot/auth-service"));

        Files.writeString(jar, "two");
        assertThat(cache.keyDir("auth-service", jar)).isNotEqualTo(key);
        Files.writeString(jar, "one");
        assertThat(new StartupCache(dir.resolve("aot"), List.of("-Xmx128m"), dir.resolve("logs"), message -> { })
                .keyDir("auth-service", jar)).isNotEqualTo(key);
    }
}
