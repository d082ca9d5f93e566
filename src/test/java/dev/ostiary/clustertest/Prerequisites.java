package dev.ostiary.clustertest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the cluster suite runs, checked before anything starts. Missing pieces fail the suite with the
 * command that installs them: the suite was asked for explicitly ({@code -Pcluster}), so it never skips.
 */
final class Prerequisites {

    private static final Map<String, List<Path>> PROGRAMS = Map.of(
            "nginx", List.of(Path.of("/usr/sbin/nginx"), Path.of("/usr/bin/nginx")),
            "wrk", List.of(Path.of("/usr/bin/wrk"), Path.of("/usr/local/bin/wrk")),
            "postgresql-15", List.of(Path.of("/usr/lib/postgresql/15/bin/postgres")),
            "openssl", List.of(Path.of("/usr/bin/openssl")));

    private Prerequisites() {
    }

    /** support/Browser skips without Chromium outside CI; the cluster suite does not. */
    static void checkBrowser() {
        if (!Files.isExecutable(Path.of("/usr/bin/chromium")) || !Files.isExecutable(Path.of("/usr/bin/chromedriver"))) {
            throw new IllegalStateException("The cluster suite's browser test needs Chromium and its driver:"
                    + " apt-get install -y chromium chromium-driver");
        }
    }

    static void check() {
        List<String> missing = new ArrayList<>();
        PROGRAMS.forEach((name, candidates) -> {
            if (candidates.stream().noneMatch(Files::isExecutable)) {
                missing.add(name);
            }
        });
        if (!missing.isEmpty()) {
            throw new IllegalStateException("The cluster suite (mvn verify -Pcluster) needs " + missing
                    + ": apt-get install -y nginx wrk postgresql-15 openssl");
        }
    }
}
