package dev.ostiary.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.ostiary.console.ConsoleOperators.Operator;
import dev.ostiary.secondfactor.SecondFactorStep;
import dev.ostiary.support.TotpCodes;
import dev.ostiary.support.UserAgent;

/**
 * Who gets into the console, over HTTP with a cookie jar per browser, as an attacker would try it:
 * no session, a user without the role, an operator without a second factor or with only the password,
 * non-canonical paths, a missing CSRF token, and an operator who loses the role or the account while
 * signed in. Changes are checked for their effect and their audit event with the operator's name.
 */
class ConsoleSecurityTest extends ConsoleServerTest {

    private static final List<String> PATHS = List.of("/admin", "/admin/clients", "/admin/clients/web-app",
            "/%61dmin/clients", "/admin/%63lients", "/admin/clients/", "//admin/clients", "/admin/./clients",
            "/admin/clients/web-app/delete");

    /** The console follows the admin API's second-factor rule; the other server tests turn it off. */

    @Test
    void whenNotSignedInThenEveryConsolePathGoesToTheLoginPage() throws Exception {
        UserAgent browser = new UserAgent(baseUrl());
        for (String path : PATHS) {
            HttpResponse<String> response = browser.get(path);
            assertThat(response.statusCode()).as(path).isIn(302, 400);
            if (response.statusCode() == 302) {
                assertThat(UserAgent.location(response)).as(path).endsWith("/login");
            }
            assertThat(response.body()).as(path).doesNotContain("web-app");
        }
    }

    @Test
    void whenAUserWithoutRoleAdminSignsInThenTheConsoleIsRefusedOnEveryPath() throws Exception {
        String user = newUser("USER");
        UserAgent browser = new UserAgent(baseUrl());
        browser.login(user, "password");
        for (String path : PATHS) {
            HttpResponse<String> response = browser.get(path);
            assertThat(response.statusCode()).as(path).isIn(403, 400);
            assertThat(response.body()).as(path).doesNotContain("Demo web app");
        }
        assertThat(browser.get("/admin/clients").body()).contains("Operators only");
    }

    @Test
    void whenAnOperatorHasNoSecondFactorThenTheConsoleSaysHowToGetOne() throws Exception {
        String admin = newUser("USER", "ADMIN");
        UserAgent browser = new UserAgent(baseUrl());
        browser.login(admin, "password");
        HttpResponse<String> response = browser.get("/admin/clients");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("A second factor is needed").doesNotContain("Demo web app");
    }

    @Test
    void whenAnOperatorProvedOnlyThePasswordThenTheSecondFactorContinuesToTheConsolePage() throws Exception {
        Operator operator = operator();
        UserAgent browser = new UserAgent(baseUrl());
        browser.login(operator.username(), "password");
        HttpResponse<String> list = browser.get("/admin/clients?q=web-app");
        assertThat(UserAgent.location(list)).endsWith(SecondFactorStep.PAGE);
        HttpResponse<String> page = browser.get(SecondFactorStep.PAGE);
        HttpResponse<String> proven = browser.post(SecondFactorStep.PAGE, Map.of("code",
                List.of(TotpCodes.next(operator.secret(), Clock.systemUTC())), "_csrf", List.of(UserAgent.csrf(page.body()))));
        assertThat(UserAgent.location(proven)).contains("/admin/clients?q=web-app");
        HttpResponse<String> console = browser.follow(UserAgent.location(proven));
        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(console.body()).contains("id=\"client-web-app\"").doesNotContain("id=\"client-svc-client\"");
        assertThat(console.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        assertThat(console.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'");
    }

    @Test
    void whenAChangeHasNoCsrfTokenThenNothingChanges() throws Exception {
        UserAgent browser = signedIn(operator());
        String clientId = newClient();
        for (String action : List.of("disable", "delete", "secret")) {
            HttpResponse<String> response = browser.post("/admin/clients/" + clientId + "/" + action, Map.of());
            assertThat(response.statusCode()).as(action).isEqualTo(403);
            HttpResponse<String> forged = browser.post("/admin/clients/" + clientId + "/" + action,
                    Map.of("_csrf", List.of("forged")));
            assertThat(forged.statusCode()).as(action).isEqualTo(403);
        }
        assertThat(jdbc.sql("select enabled from client where client_id = ?").param(clientId).query(Boolean.class)
                .optional()).contains(true);
        assertThat(audited(clientId)).isEmpty();
    }

    @Test
    void whenAnOperatorDisablesRotatesAndDeletesThenEachGoesThroughTheServiceAndIsAuditedWithTheirName()
            throws Exception {
        Operator operator = operator();
        UserAgent browser = signedIn(operator);
        String clientId = newClient();
        HttpResponse<String> confirm = browser.get("/admin/clients/" + clientId + "/disable");
        assertThat(confirm.statusCode()).isEqualTo(200);
        assertThat(confirm.body()).contains("0 live authorizations");
        String csrf = UserAgent.csrf(confirm.body());
        // the confirmation page itself changes nothing
        assertThat(jdbc.sql("select enabled from client where client_id = ?").param(clientId).query(Boolean.class)
                .single()).isTrue();

        HttpResponse<String> disabled = browser.post("/admin/clients/" + clientId + "/disable", Map.of("_csrf", List.of(csrf)));
        assertThat(UserAgent.location(disabled)).endsWith("/admin/clients/" + clientId);
        assertThat(jdbc.sql("select enabled from client where client_id = ?").param(clientId).query(Boolean.class)
                .single()).isFalse();

        HttpResponse<String> rotated = browser.post("/admin/clients/" + clientId + "/secret", Map.of("_csrf", List.of(csrf)));
        assertThat(rotated.statusCode()).isEqualTo(200);
        assertThat(rotated.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        assertThat(rotated.body()).containsPattern("id=\"client-secret\">[A-Za-z0-9_-]{20,}<");

        HttpResponse<String> deleted = browser.post("/admin/clients/" + clientId + "/delete", Map.of("_csrf", List.of(csrf)));
        assertThat(UserAgent.location(deleted)).endsWith("/admin/clients");
        assertThat(jdbc.sql("select count(*) from client where client_id = ?").param(clientId).query(Long.class)
                .single()).isZero();
        // audit events are written off the request thread
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(audited(clientId)).containsExactly(
                "client.updated " + operator.username(), "client.secret_rotated " + operator.username(),
                "client.deleted " + operator.username()));
        assertThat(browser.get("/admin/clients/" + clientId).statusCode()).isEqualTo(404);
    }

    @Test
    void whenTheOperatorLosesRoleAdminWhileSignedInThenTheNextRequestIsRefused() throws Exception {
        Operator operator = operator();
        UserAgent browser = signedIn(operator);
        assertThat(browser.get("/admin/clients").statusCode()).isEqualTo(200);
        jdbc.sql("delete from user_role where role = 'ADMIN' and user_id = (select id from app_user where username = ?)")
                .param(operator.username()).update();
        HttpResponse<String> refused = browser.get("/admin/clients");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("Operators only").doesNotContain("Demo web app");
    }

    @Test
    void whenTheOperatorIsDeletedOrLockedWhileSignedInThenTheConsoleIsRefused() throws Exception {
        Operator locked = operator();
        UserAgent lockedBrowser = signedIn(locked);
        jdbc.sql("update app_user set locked = true where username = ?").param(locked.username()).update();
        assertThat(lockedBrowser.get("/admin/clients").statusCode()).isIn(302, 403);
        assertThat(lockedBrowser.get("/admin/clients").body()).doesNotContain("Demo web app");

        Operator deleted = operator();
        UserAgent deletedBrowser = signedIn(deleted);
        jdbc.sql("delete from app_user where username = ?").param(deleted.username()).update();
        HttpResponse<String> refused = deletedBrowser.get("/admin/clients");
        assertThat(refused.statusCode()).isIn(302, 403);
        assertThat(refused.body()).doesNotContain("Demo web app");
    }

    @Test
    void whenTwentyDeletesOfOneClientRaceThenOneSucceedsAndNoneIsAServerError() throws Exception {
        Operator operator = operator();
        UserAgent browser = signedIn(operator);
        String clientId = newClient();
        String csrf = UserAgent.csrf(browser.get("/admin/clients/" + clientId + "/delete").body());
        int racers = 20;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                Callable<Integer> delete = () -> {
                    start.await();
                    return browser.post("/admin/clients/" + clientId + "/delete", Map.of("_csrf", List.of(csrf)))
                            .statusCode();
                };
                statuses.add(pool.submit(delete));
            }
            start.countDown();
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                codes.add(status.get());
            }
            assertThat(codes).as(codes.toString()).allMatch(code -> code == 302 || code == 404);
            assertThat(codes.stream().filter(code -> code == 302).count()).as(codes.toString()).isGreaterThanOrEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                audited(clientId).stream().filter(e -> e.startsWith("client.deleted")).count()).isEqualTo(1));
    }

    @Test
    void whenFiltersAreMalformedThenTheAnswerIsABadRequestPageNotAServerError() throws Exception {
        UserAgent browser = signedIn(operator());
        for (String query : List.of("unused=abc", "by=nobody", "q=%25%5F%5C", "after=%00", "q=" + "x".repeat(5000))) {
            HttpResponse<String> response = browser.get("/admin/clients?" + query);
            assertThat(response.statusCode()).as(query).isIn(200, 400);
            assertThat(response.body()).as(query).doesNotContain("Exception").doesNotContain("at dev.ostiary");
        }
    }

    private Operator operator() {
        return operators().operator();
    }

    private UserAgent signedIn(Operator operator) throws Exception {
        return operators().signedIn(operator);
    }

    private String newClient() {
        String clientId = "console-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("""
                insert into client (id, client_id, client_name, secret_hash, auth_methods, grant_types, scopes)
                values (gen_random_uuid(), ?, ?, 'not-a-real-hash', '{client_secret_basic}', '{client_credentials}', '{read}')""")
                .params(clientId, "Console test " + clientId).update();
        return clientId;
    }

    private List<String> audited(String clientId) {
        return jdbc.sql("select type || ' ' || coalesce(username, '') from audit_event where client_id = ? order by id")
                .param(clientId).query(String.class).list();
    }
}
