package dev.ostiary.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An Ostiary instance in a JVM of its own, for what only a real process shows: killed with
 * {@code kill -9} ({@link Process#destroyForcibly()}), it closes nothing and says goodbye to no one.
 * It runs {@link StandaloneServer} on the parent's database with the parent's master key and pepper.
 */
public final class StandaloneProcess {

    private StandaloneProcess() {
    }

    /** In the child: {@code jdbcUrl --name=value…}; runs until killed. */
    public static void main(String[] args) {
        StandaloneServer.start(args[0], Arrays.copyOfRange(args, 1, args.length));
    }

    /** Starts a child on {@code jdbcUrl}; its output goes to {@code log}. */
    public static Process start(String jdbcUrl, Path log, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), StandaloneProcess.class.getName(), jdbcUrl,
                "--ostiary.keys.master-key=" + TestSecrets.MASTER_KEY,
                "--ostiary.clients.secret-pepper=" + TestSecrets.PEPPER));
        command.addAll(List.of(arguments));
        File output = log.toFile();
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output).start();
    }
}
