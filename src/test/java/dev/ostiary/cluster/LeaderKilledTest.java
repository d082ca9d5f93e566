package dev.ostiary.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.ostiary.support.EmbeddedPostgresSupport;
import dev.ostiary.support.StandaloneProcess;
import dev.ostiary.support.StandaloneServer;

/**
 * The leader's process is killed with {@code kill -9}: no shutdown hook runs, no connection is closed
 * by Ostiary. The kernel closes its sockets, PostgreSQL ends its sessions and frees the leader lock,
 * and the surviving node takes over within seconds.
 */
class LeaderKilledTest {

    private static final Duration STARTUP = Duration.ofSeconds(120);
    private static final Duration HANDOVER = Duration.ofSeconds(10);

    private Process leader;
    private StandaloneServer survivor;

    @AfterEach
    void stop() {
        if (leader != null) {
            leader.destroyForcibly();
        }
        if (survivor != null) {
            survivor.close();
        }
    }

    @Test
    void whenTheLeadersProcessIsKilledThenTheOtherNodeLeadsWithinSeconds() throws Exception {
        String database = EmbeddedPostgresSupport.newDatabase();
        Path log = Files.createTempFile("ostiary-leader-", ".log");
        leader = StandaloneProcess.start(database, log, "--ostiary.cluster.heartbeat-interval=PT0.5S");
        JdbcClient sql = JdbcClient.create(new org.springframework.jdbc.datasource.DriverManagerDataSource(database,
                "postgres", ""));
        // the child is alone: it leads as soon as it runs
        await().atMost(STARTUP).pollInterval(Duration.ofMillis(200))
                .until(() -> leaderBackends(sql).size() == 1 && leader.isAlive());
        List<Integer> before = leaderBackends(sql);

        survivor = StandaloneServer.start(database, "--ostiary.cluster.heartbeat-interval=PT0.5S");
        assertThat(survivor.bean(ClusterLeadership.class).isLeader()).isFalse();

        long killed = System.nanoTime();
        leader.destroyForcibly().waitFor();

        await().atMost(HANDOVER).pollInterval(Duration.ofMillis(50))
                .until(() -> survivor.bean(ClusterLeadership.class).isLeader());
        System.out.printf("leader handover after kill -9: %d ms (heartbeat 0.5 s)%n",
                (System.nanoTime() - killed) / 1_000_000);
        assertThat(leaderBackends(sql)).hasSize(1).doesNotContainAnyElementsOf(before);
    }

    /** The backends holding the leader lock. */
    private static List<Integer> leaderBackends(JdbcClient sql) {
        return sql.sql("select l.pid from pg_locks l join pg_stat_activity a on a.pid = l.pid"
                + " where l.locktype = 'advisory' and l.objid = ? and l.granted and a.application_name = ?"
                + " and a.datname = current_database()")
                .param((int) ClusterLeadership.LEADER_LOCK).param(ClusterLeadership.APPLICATION_NAME)
                .query(Integer.class).list();
    }
}
