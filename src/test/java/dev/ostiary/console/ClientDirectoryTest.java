package dev.ostiary.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.ostiary.client.ClientDirectory;
import dev.ostiary.client.ClientDirectory.Query;
import dev.ostiary.client.RegisteredBy;
import dev.ostiary.support.ServerTest;

/** The console's client list on the real table: keyset pages, search, filters, footprint. */
class ClientDirectoryTest extends ServerTest {

    @Autowired
    private dev.ostiary.audit.AuditTrail trail;

    @Autowired
    private ClientDirectory directory;

    @Test
    void whenPagingForwardAndBackThenEveryClientIsSeenOnceInOrder() {
        String prefix = seed(123);
        List<String> seen = new ArrayList<>();
        ClientDirectory.Page page = directory.find(query(prefix, null, null));
        List<ClientDirectory.Page> pages = new ArrayList<>();
        while (true) {
            pages.add(page);
            page.rows().forEach(row -> seen.add(row.clientId()));
            assertThat(page.total()).isEqualTo(123);
            if (!page.hasNext()) {
                break;
            }
            page = directory.find(query(prefix, page.lastId(), null));
        }
        assertThat(pages).hasSize(3);
        assertThat(seen).hasSize(123).doesNotHaveDuplicates().isSorted();
        assertThat(pages.get(0).hasPrevious()).isFalse();
        assertThat(pages.get(2).rows()).hasSize(23);

        ClientDirectory.Page back = directory.find(query(prefix, null, pages.get(2).firstId()));
        assertThat(back.rows()).isEqualTo(pages.get(1).rows());
        assertThat(back.hasNext()).isTrue();
        assertThat(back.hasPrevious()).isTrue();
        ClientDirectory.Page first = directory.find(query(prefix, null, back.firstId()));
        assertThat(first.rows()).isEqualTo(pages.get(0).rows());
        assertThat(first.hasPrevious()).isFalse();
    }

    @Test
    void whenSearchingThenLikeWildcardsInTheTextMatchThemselves() {
        String prefix = seed(3);
        assertThat(directory.find(query(prefix + "%", null, null)).rows()).isEmpty();
        assertThat(directory.find(query(prefix.substring(0, 6) + "_", null, null)).rows()).isEmpty();
        assertThat(directory.find(new Query(prefix.toUpperCase(), "", null, "", 0, null, null, 50)).total()).isEqualTo(3);
    }

    @Test
    void whenFilteringByGrantOwnerAndUseThenOnlyMatchingClientsAreListed() {
        String prefix = seed(4);
        jdbc.sql("update client set grant_types = '{authorization_code}', owner_username = 'alice', registered_by = 'user'"
                + " where client_id = ?").param(prefix + "-0001").update();
        // through the trail, as the token endpoint records it: it keeps client_last_token
        trail.on(dev.ostiary.audit.AuditEvent.of(dev.ostiary.audit.AuditEventType.TOKEN_ISSUED, prefix + "-0002", null,
                java.util.Map.of("grantType", "authorization_code")));
        trail.flushAll();
        assertThat(ids(new Query(prefix, "authorization_code", null, "", 0, null, null, 50))).containsExactly(prefix + "-0001");
        assertThat(ids(new Query(prefix, "", RegisteredBy.USER, "", 0, null, null, 50))).containsExactly(prefix + "-0001");
        assertThat(ids(new Query(prefix, "", null, "alice", 0, null, null, 50))).containsExactly(prefix + "-0001");
        assertThat(ids(new Query(prefix, "", RegisteredBy.ADMIN, "", 0, null, null, 50))).hasSize(3);
        assertThat(ids(new Query(prefix, "", null, "", 30, null, null, 50))).hasSize(3).doesNotContain(prefix + "-0002");
        ClientDirectory.Page all = directory.find(query(prefix, null, null));
        assertThat(all.rows().stream().filter(r -> r.lastUsed() != null).map(ClientDirectory.Row::clientId))
                .containsExactly(prefix + "-0002");
        assertThat(directory.footprint(prefix + "-0002").lastUsed()).isNotNull();
        assertThat(directory.footprint("no-such-client")).isEqualTo(new ClientDirectory.Footprint(0, 0, null));
    }

    private List<String> ids(Query query) {
        return directory.find(query).rows().stream().map(ClientDirectory.Row::clientId).toList();
    }

    private static Query query(String text, String after, String before) {
        return new Query(text, "", null, "", 0, after, before, 50);
    }

    /** {@code count} clients named {@code <prefix>-0000…}, a prefix no other test uses. */
    private String seed(int count) {
        String prefix = "dir" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("""
                insert into client (id, client_id, client_name, auth_methods, grant_types)
                select gen_random_uuid(), :prefix || '-' || lpad(n::text, 4, '0'), 'Directory ' || n,
                       '{client_secret_basic}', '{client_credentials}'
                from generate_series(0, :count - 1) n""")
                .param("prefix", prefix).param("count", count).update();
        return prefix;
    }
}
