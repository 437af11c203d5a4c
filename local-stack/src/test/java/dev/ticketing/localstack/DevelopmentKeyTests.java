package dev.ticketing.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevelopmentKeyTests {

    @TempDir
    Path dataDir;

    @Test
    void createsARandomKeyOnceAndKeepsIt() throws Exception {
        DevelopmentKey first = DevelopmentKey.resolve(null, dataDir);
        DevelopmentKey second = DevelopmentKey.resolve(" ", dataDir);

        assertThat(first.value()).hasSizeGreaterThanOrEqualTo(32).isEqualTo(second.value());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("jwt-key"))))
                .isEqualTo("rw-------");
        assertThat(DevelopmentKey.resolve(null, Files.createDirectory(dataDir.resolve("other"))).value())
                .isNotEqualTo(first.value());
    }

    @Test
    void jwtKeyFromTheEnvironmentWinsAndIsChecked() {
        String key = "an-environment-key-of-forty-bytes-or-so!";

        assertThat(DevelopmentKey.resolve(key, dataDir).value()).isEqualTo(key);
        assertThat(dataDir.resolve("jwt-key")).doesNotExist();
        assertThatThrownBy(() -> DevelopmentKey.resolve("short", dataDir))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("too short");
    }
}
