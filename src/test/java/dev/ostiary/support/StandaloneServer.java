package dev.ostiary.support;

import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.ostiary.OstiaryApplication;

/**
 * An Ostiary instance of a test's own (restarts, several instances on one database, key changes
 * that other tests must not see), on a random port with the demo data.
 */
public final class StandaloneServer implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private StandaloneServer(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Starts on {@code jdbcUrl} with the test master key, plus any {@code --name=value} arguments. */
    public static StandaloneServer start(String jdbcUrl, String... arguments) {
        java.util.Map<String, String> args = new java.util.LinkedHashMap<>();
        for (String argument : List.of("--server.port=0", "--management.server.port=0", "--ostiary.test.jdbc-url=" + jdbcUrl,
                "--ostiary.keys.master-key=" + TestSecrets.MASTER_KEY,
                "--ostiary.clients.secret-pepper=" + TestSecrets.PEPPER)) {
            args.put(argument.substring(0, argument.indexOf('=')), argument);
        }
        // a repeated argument would be bound as a list: the test's own value replaces the default
        for (String argument : arguments) {
            args.put(argument.substring(0, argument.indexOf('=')), argument);
        }
        // command-line arguments outrank application.yml, unlike builder properties
        return new StandaloneServer(new SpringApplicationBuilder(OstiaryApplication.class, EmbeddedPostgresConfig.class)
                .profiles("demo")
                .run(args.values().toArray(String[]::new)));
    }

    public String baseUrl() {
        return "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
    }

    /** The management server (actuator): its health probes. */
    public String managementUrl() {
        return "http://localhost:" + context.getEnvironment().getProperty("local.management.port");
    }

    /** The running context itself (its web server, for the shutdown tests). */
    public ConfigurableApplicationContext context() {
        return context;
    }

    public int port() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** Every bean of {@code type}, by bean name. */
    public <T> java.util.Map<String, T> beansOfType(Class<T> type) {
        return context.getBeansOfType(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
