package dev.ostiary.gateway;

import dev.ostiary.support.EmbeddedPostgresSupport;
import dev.ostiary.support.StandaloneServer;

/**
 * Ostiary for bench/gateway.sh: the demo data on the embedded PostgreSQL behind a connection pool, as
 * in production (the development server's DataSource opens a connection per statement, which would
 * measure PostgreSQL's connection start-up, not the check), with the gateway check on and nginx on
 * 127.0.0.1 trusted. Arguments are Spring's ({@code --server.port=19000}). Runs until killed:
 * {@code mvn spring-boot:test-run -Dostiary.run.main=dev.ostiary.gateway.GatewayBenchServer
 * -Dspring-boot.run.arguments=--server.port=19000}.
 */
public final class GatewayBenchServer {

    private GatewayBenchServer() {
    }

    public static void main(String[] args) {
        String[] all = new String[args.length + 3];
        all[0] = "--ostiary.gateway.enabled=true";
        all[1] = "--ostiary.trusted-proxies=127.0.0.1/32";
        all[2] = "--ostiary.abuse.source-ip-threshold=0";
        System.arraycopy(args, 0, all, 3, args.length);
        StandaloneServer server = StandaloneServer.start(EmbeddedPostgresSupport.newDatabase(), all);
        System.out.println("Gateway bench server at " + server.baseUrl());
    }
}
