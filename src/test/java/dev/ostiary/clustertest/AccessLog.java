package dev.ostiary.clustertest;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nginx's access log of the dev cluster, which records {@code $upstream_addr $status $request_method
 * $uri} for every request: where each step of a flow went, and how a load was spread.
 */
final class AccessLog {

    /** {@code $upstream_addr} lists every server tried ("a, b", or "a : b" across an internal redirect). */
    private static final Pattern LINE = Pattern.compile(
            "((?:[\\d.]+:\\d+|-)(?:(?:, | : )(?:[\\d.]+:\\d+|-))*) (\\d{3}) ([A-Z]+) (\\S+)");

    /** One logged request; {@code node} 0 when nginx answered itself. */
    record Entry(String upstream, int node, int status, String method, String path) {
    }

    private final Cluster cluster;
    private final long start;

    private AccessLog(Cluster cluster, long start) {
        this.cluster = cluster;
        this.start = start;
    }

    /** The log from now on. */
    static AccessLog from(Cluster cluster) {
        try {
            return new AccessLog(cluster, Files.exists(cluster.accessLog()) ? Files.size(cluster.accessLog()) : 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        try (RandomAccessFile file = new RandomAccessFile(cluster.accessLog().toFile(), "r")) {
            file.seek(start);
            byte[] rest = new byte[(int) (file.length() - start)];
            file.readFully(rest);
            for (String line : new String(rest, StandardCharsets.UTF_8).split("\n")) {
                Matcher matcher = LINE.matcher(line);
                if (matcher.find()) {
                    entries.add(new Entry(matcher.group(1), cluster.nodeOf(matcher.group(1)),
                            Integer.parseInt(matcher.group(2)), matcher.group(3), matcher.group(4)));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return entries;
    }

    /** The nodes that answered {@code method path} since the start, in order. */
    List<Integer> nodesOf(String method, String path) {
        return entries().stream().filter(e -> e.method().equals(method) && e.path().equals(path))
                .map(Entry::node).toList();
    }

    long countFrom(int node) {
        return entries().stream().filter(e -> e.node() == node).count();
    }
}
