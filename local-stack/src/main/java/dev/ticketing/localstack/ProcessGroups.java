package dev.ticketing.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Children run in a session of their own where {@code setsid} exists (Linux), so Ctrl-C in the terminal
 * reaches only the launcher, which then stops them in order: services first, while NATS and MongoDB are
 * still there for their last acks and writes. {@code setsid} execs in place, so the pid stays the child's.
 */
final class ProcessGroups {

    private static final Optional<Path> SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid")
            .map(Path::of)
            .filter(Files::isExecutable)
            .findFirst();

    private ProcessGroups() {
    }

    static List<String> ownSession(List<String> command) {
        if (SETSID.isEmpty()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(command.size() + 1);
        wrapped.add(SETSID.get().toString());
        wrapped.addAll(command);
        return wrapped;
    }
}
