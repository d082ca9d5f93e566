package dev.ostiary.clustertest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bounded load of client_credentials requests through nginx, made by wrk (a process of its own, so
 * the load does not share the test JVM's threads) with {@code clustertest/client-credentials.lua},
 * which counts every answer by status and node and prints a summary line at the end.
 */
final class Wrk {

    private static final Pattern SUMMARY = Pattern.compile(
            "OSTIARY-WRK requests=(\\d+) connect=(\\d+) read=(\\d+) write=(\\d+) timeout=(\\d+) status=(\\d+) counts=(.*)");

    private Wrk() {
    }

    /** What one run counted. {@code answers} maps "status@upstream" to a count. */
    record Summary(long requests, long connectErrors, long readErrors, long writeErrors, long timeouts,
            Map<String, Long> answers, String output) {

        Map<Integer, Long> statuses() {
            Map<Integer, Long> statuses = new TreeMap<>();
            answers.forEach((key, n) -> statuses.merge(Integer.parseInt(key.substring(0, key.indexOf('@'))), n,
                    Long::sum));
            return statuses;
        }

        long count(int status) {
            return statuses().getOrDefault(status, 0L);
        }

        long successes() {
            return statuses().entrySet().stream().filter(e -> e.getKey() / 100 == 2).mapToLong(Map.Entry::getValue)
                    .sum();
        }

        long non2xx() {
            return statuses().entrySet().stream().filter(e -> e.getKey() / 100 != 2).mapToLong(Map.Entry::getValue)
                    .sum();
        }

        long socketErrors() {
            return connectErrors + readErrors + writeErrors + timeouts;
        }

        /** Requests that did not get a 2xx: error answers and requests lost on the socket. */
        long failures() {
            return non2xx() + socketErrors();
        }

        /** Answers per node that gave them (0: nginx itself), by status. */
        Map<Integer, Map<Integer, Long>> byNode(Cluster cluster) {
            Map<Integer, Map<Integer, Long>> nodes = new TreeMap<>();
            answers.forEach((key, n) -> {
                int at = key.indexOf('@');
                String upstream = key.substring(at + 1);
                nodes.computeIfAbsent(cluster.nodeOf("-".equals(upstream) ? null : upstream), k -> new TreeMap<>())
                        .merge(Integer.parseInt(key.substring(0, at)), n, Long::sum);
            });
            return nodes;
        }

        String describe(Cluster cluster) {
            return "%d requests, %d failed (non-2xx %s, socket errors: connect %d, read %d, write %d, timeout %d);"
                    .formatted(requests, failures(), statuses(), connectErrors, readErrors, writeErrors, timeouts)
                    + " by node " + byNode(cluster);
        }
    }

    /** A wrk process under way. */
    static final class Running {

        private final Process process;
        private final Path output;

        private Running(Process process, Path output) {
            this.process = process;
            this.output = output;
        }

        /** Ends the run early as Ctrl-C does: wrk stops, then prints its summary. */
        void interrupt() {
            try {
                new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        boolean isAlive() {
            return process.isAlive();
        }

        Summary await(Duration atMost) {
            try {
                if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("wrk did not end within " + atMost);
                }
                String text = Files.readString(output);
                System.out.println("[wrk] exit " + process.exitValue() + "\n" + text);
                Matcher matcher = SUMMARY.matcher(text);
                if (process.exitValue() != 0 || !matcher.find()) {
                    throw new IllegalStateException("wrk printed no summary (exit " + process.exitValue() + "):\n" + text);
                }
                Map<String, Long> answers = new LinkedHashMap<>();
                for (String part : matcher.group(7).strip().split("\\|")) {
                    int eq = part.lastIndexOf('=');
                    if (eq > 0) {
                        answers.merge(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)), Long::sum);
                    }
                }
                return new Summary(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
                        Long.parseLong(matcher.group(3)), Long.parseLong(matcher.group(4)),
                        Long.parseLong(matcher.group(5)), answers, text);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Starts {@code connections} connections on two threads for at most {@code duration}
     * ({@link Running#interrupt} ends it sooner). A request counts as timed out after 10 s, far above
     * any answer's time: a slow answer is not a failure here.
     */
    static Running start(Cluster cluster, Duration duration, int connections) {
        return start(cluster, duration, connections, Duration.ZERO);
    }

    /**
     * As {@link #start(Cluster, Duration, int)}, each connection pausing {@code pause} after every answer:
     * a bounded load (at most {@code connections / pause} requests a second) rather than as many as the
     * machine can answer.
     */
    static Running start(Cluster cluster, Duration duration, int connections, Duration pause) {
        try {
            Path script = cluster.directory().resolve("client-credentials.lua");
            try (InputStream in = Wrk.class.getResourceAsStream("/clustertest/client-credentials.lua")) {
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
            Path output = Files.createTempFile(cluster.directory(), "wrk-", ".out");
            Process process = new ProcessBuilder(List.of("wrk", "-t2", "-c" + connections,
                    "-d" + duration.toSeconds() + "s", "--timeout", "10s", "-s", script.toString(),
                    cluster.issuer() + "/oauth2/token", "--", Long.toString(pause.toMillis())))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            return new Running(process, output);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
