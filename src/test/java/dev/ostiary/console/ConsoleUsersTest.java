package dev.ostiary.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.ostiary.audit.AuditTrail;
import dev.ostiary.console.ConsoleOperators.Operator;
import dev.ostiary.support.UserAgent;
import dev.ostiary.user.UserDirectory;
import dev.ostiary.user.UserDirectory.Query;
import dev.ostiary.user.UserDirectory.State;

/**
 * The console's users, over HTTP and on the real tables: keyset pages, search and filters; locking,
 * disabling and new roles through {@code UserManagement}, which end the user's sessions at once and
 * are audited with the operator's name; no change without the CSRF token; malformed filters never a
 * server error.
 */
class ConsoleUsersTest extends ConsoleServerTest {

    @Autowired
    private UserDirectory directory;

    @Autowired
    private AuditTrail trail;

    @Test
    void whenPagingForwardAndBackThenEveryUserIsSeenOnceInOrder() {
        String prefix = seed(123);
        List<String> seen = new ArrayList<>();
        List<UserDirectory.Page> pages = new ArrayList<>();
        UserDirectory.Page page = directory.find(new Query(prefix, "", null, null, null, 50));
        while (true) {
            pages.add(page);
            page.rows().forEach(row -> seen.add(row.username()));
            assertThat(page.total()).isEqualTo(123);
            if (!page.hasNext()) {
                break;
            }
            page = directory.find(new Query(prefix, "", null, page.lastUsername(), null, 50));
        }
        assertThat(pages).hasSize(3);
        assertThat(seen).hasSize(123).doesNotHaveDuplicates().isSorted();
        assertThat(pages.get(2).rows()).hasSize(23);
        UserDirectory.Page back = directory.find(new Query(prefix, "", null, null, pages.get(2).firstUsername(), 50));
        assertThat(back.rows()).isEqualTo(pages.get(1).rows());
        assertThat(back.hasPrevious()).isTrue();
    }

    @Test
    void whenSearchingAndFilteringThenOnlyMatchingUsers() {
        String prefix = seed(30);
        // e-mail, any case; LIKE wildcards in the text match themselves
        assertThat(directory.find(new Query(prefix.toUpperCase() + "-7@EXAMPLE", "", null, null, null, 50)).rows())
                .singleElement().satisfies(row -> assertThat(row.email()).isEqualTo(prefix + "-7@example.test"));
        assertThat(directory.find(new Query(prefix + "%", "", null, null, null, 50)).total()).isZero();
        assertThat(directory.find(new Query(prefix, "admin", null, null, null, 50)).total()).isEqualTo(10);
        assertThat(directory.find(new Query(prefix, "", State.LOCKED, null, null, 50)).total()).isEqualTo(6);
        assertThat(directory.find(new Query(prefix, "", State.DISABLED, null, null, 50)).total()).isEqualTo(5);
        assertThat(directory.find(new Query(prefix, "", State.ACTIVE, null, null, 50)).total()).isEqualTo(30 - 6 - 5 + 1);
    }

    @Test
    void whenAnOperatorLocksAUserThenTheirSessionEndsAndTheEventNamesTheOperator() throws Exception {
        Operator operator = operators().operator();
        UserAgent console = operators().signedIn(operator);
        String target = newUser("USER");
        UserAgent victim = new UserAgent(baseUrl());
        victim.login(target, "password");
        assertThat(victim.get("/account").statusCode()).isEqualTo(200);

        HttpResponse<String> detail = console.get("/admin/users/" + target);
        assertThat(detail.statusCode()).isEqualTo(200);
        assertThat(detail.body()).contains("id=\"sessions\">1<");
        HttpResponse<String> confirm = console.get("/admin/users/" + target + "/lock");
        assertThat(confirm.body()).contains("Its 1 session ends now");
        assertThat(victim.get("/account").statusCode()).as("the confirmation changes nothing").isEqualTo(200);

        HttpResponse<String> locked = console.post("/admin/users/" + target + "/lock",
                Map.of("_csrf", List.of(UserAgent.csrf(confirm.body()))));
        assertThat(UserAgent.location(locked)).endsWith("/admin/users/" + target);
        assertThat(console.follow(UserAgent.location(locked)).body()).contains("id=\"locked-note\"", "id=\"unlock\"");
        HttpResponse<String> after = victim.get("/account");
        assertThat(after.statusCode()).as("the victim's session is gone").isEqualTo(302);
        assertThat(UserAgent.location(after)).contains("/login");
        assertThat(new UserAgent(baseUrl()).login(target, "password").headers().firstValue("Location").orElse(""))
                .as("a locked account cannot sign in").contains("error");

        HttpResponse<String> unlocked = console.post("/admin/users/" + target + "/unlock",
                Map.of("_csrf", List.of(UserAgent.csrf(confirm.body()))));
        assertThat(UserAgent.isRedirect(unlocked)).isTrue();
        trail.flushAll();
        assertThat(jdbc.sql("""
                select type from audit_event where username = ? and details->>'target' = ? order by id""")
                .params(operator.username(), target).query(String.class).list())
                .containsExactly("user.locked", "user.unlocked");
    }

    /**
     * Sixteen locks of one user released at once: each waits on the user's row, and none may hold its
     * pooled connection while it needs a second one (ending the sessions), or the pool starves and
     * requests time out as 503s.
     */
    @Test
    void whenSixteenLocksOfOneUserRaceThenEachAnswersAndNoneIsAServerError() throws Exception {
        UserAgent console = operators().signedIn(operators().operator());
        String target = newUser("USER");
        for (int i = 0; i < 3; i++) {
            new UserAgent(baseUrl()).login(target, "password");
        }
        String csrf = UserAgent.csrf(console.get("/admin/users/" + target + "/lock").body());
        int parallel = 16;
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(parallel);
        try {
            List<java.util.concurrent.Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < parallel; i++) {
                statuses.add(pool.submit(() -> {
                    start.await();
                    return console.post("/admin/users/" + target + "/lock", Map.of("_csrf", List.of(csrf))).statusCode();
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<Integer> status : statuses) {
                assertThat(status.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(302);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.sql("select locked from app_user where username = ?").param(target).query(Boolean.class).single())
                .isTrue();
    }

    @Test
    void whenAnOperatorSetsRolesThenTheyAreSavedAndABadRoleIsAProblemNotAChange() throws Exception {
        UserAgent console = operators().signedIn(operators().operator());
        String target = newUser("USER");
        String csrf = UserAgent.csrf(console.get("/admin/users/" + target).body());

        HttpResponse<String> saved = console.post("/admin/users/" + target + "/roles",
                Map.of("roles", List.of("user,  auditor"), "_csrf", List.of(csrf)));
        assertThat(console.follow(UserAgent.location(saved)).body()).contains("Roles saved", "value=\"AUDITOR USER\"");
        assertThat(roles(target)).containsExactly("AUDITOR", "USER");

        HttpResponse<String> refused = console.post("/admin/users/" + target + "/roles",
                Map.of("roles", List.of("USER no-such!"), "_csrf", List.of(csrf)));
        assertThat(console.follow(UserAgent.location(refused)).body()).contains("id=\"problem\"", "NO-SUCH!");
        assertThat(roles(target)).containsExactly("AUDITOR", "USER");
    }

    @Test
    void whenAChangeHasNoCsrfTokenThenNothingChanges() throws Exception {
        UserAgent console = operators().signedIn(operators().operator());
        String target = newUser("USER");
        for (String action : List.of("lock", "disable", "roles")) {
            assertThat(console.post("/admin/users/" + target + "/" + action, Map.of("roles", List.of("ADMIN")))
                    .statusCode()).as(action).isEqualTo(403);
        }
        assertThat(jdbc.sql("select enabled and not locked from app_user where username = ?").param(target)
                .query(Boolean.class).single()).isTrue();
        assertThat(roles(target)).containsExactly("USER");
    }

    @Test
    void whenAUserWithoutRoleAdminOpensUsersThenRefused() throws Exception {
        UserAgent user = new UserAgent(baseUrl());
        user.login(newUser("USER"), "password");
        for (String path : List.of("/admin/users", "/admin/users/alice", "/admin/%75sers", "/admin/users/alice/lock")) {
            HttpResponse<String> response = user.get(path);
            assertThat(response.statusCode()).as(path).isIn(403, 400);
            assertThat(response.body()).as(path).doesNotContain("alice@example");
        }
    }

    @Test
    void whenFiltersAreMalformedThenABadRequestPageNotAServerError() throws Exception {
        UserAgent console = operators().signedIn(operators().operator());
        for (String query : List.of("state=nobody", "q=%25%5F%5C", "after=%00", "role=%00", "q=" + "x".repeat(5000))) {
            HttpResponse<String> response = console.get("/admin/users?" + query);
            assertThat(response.statusCode()).as(query).isIn(200, 400);
            assertThat(response.body()).as(query).doesNotContain("Exception").doesNotContain("at dev.ostiary");
        }
        assertThat(console.get("/admin/users?state=nobody").statusCode()).isEqualTo(400);
        assertThat(console.get("/admin/users/no-such-user-" + UUID.randomUUID()).statusCode()).isEqualTo(404);
    }

    private List<String> roles(String username) {
        return jdbc.sql("select r.role from user_role r join app_user u on u.id = r.user_id where u.username = ? order by r.role")
                .param(username).query(String.class).list();
    }

    /**
     * {@code count} users named {@code <prefix>-<i>} with {@code <prefix>-<i>@example.test}: every third
     * has role ADMIN, every fifth is locked, every sixth disabled (so i = 0 is both; i = 0, 15 are counted once each).
     */
    private String seed(int count) {
        String prefix = "dir" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("""
                insert into app_user (id, username, password_hash, email, locked, enabled)
                select gen_random_uuid(), :p || '-' || i, 'x', :p || '-' || i || '@example.test', i % 5 = 0, i % 6 <> 0
                from generate_series(0, :n - 1) i""").param("p", prefix).param("n", count).update();
        jdbc.sql("insert into user_role (user_id, role) select id, 'USER' from app_user where username like :p || '-%'")
                .param("p", prefix).update();
        jdbc.sql("""
                insert into user_role (user_id, role) select id, 'ADMIN' from app_user
                where username like :p || '-%' and split_part(username, '-', 2)::int % 3 = 0""").param("p", prefix).update();
        return prefix;
    }
}
