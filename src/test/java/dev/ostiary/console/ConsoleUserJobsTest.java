package dev.ostiary.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.ostiary.audit.AuditTrail;
import dev.ostiary.console.ConsoleOperators.Operator;
import dev.ostiary.recovery.MailServerTest;
import dev.ostiary.secondfactor.SecondFactors;
import dev.ostiary.support.UserAgent;

/**
 * The console's other user jobs over HTTP, with a real SMTP server: creating an account (with a
 * password it can sign in with, or without one and a reset link in the user's mail), a reset link on
 * request, signing out everywhere, removing the authenticator app, revoking one consent, deleting;
 * each with the operator's name in the audit trail, refusals named field by field.
 */
class ConsoleUserJobsTest extends MailServerTest {

    @Autowired
    private SecondFactors secondFactors;

    @Autowired
    private AuditTrail trail;

    @DynamicPropertySource
    static void secondFactorRuleOn(DynamicPropertyRegistry registry) {
        registry.add("ostiary.step-up.admin-requires-second-factor", () -> "true");
    }

    @Test
    void whenAnOperatorCreatesAccountsThenOneSignsInWithItsPasswordAndTheOtherGetsALink() throws Exception {
        Operator operator = operators().operator();
        UserAgent console = operators().signedIn(operator);
        String csrf = UserAgent.csrf(console.get("/admin/users/~new").body());
        String withPassword = "made-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = console.post("/admin/users/~new", Map.of("username", List.of(withPassword),
                "roles", List.of("user auditor"), "password", List.of("a-long-password"), "_csrf", List.of(csrf)));
        assertThat(UserAgent.location(created)).endsWith("/admin/users/" + withPassword);
        assertThat(new UserAgent(baseUrl()).login(withPassword, "a-long-password").headers().firstValue("Location")
                .orElse("")).doesNotContain("error");

        String withLink = "link-" + UUID.randomUUID().toString().substring(0, 8);
        String address = withLink + "@example.test";
        HttpResponse<String> linked = console.post("/admin/users/~new", Map.of("username", List.of(withLink),
                "email", List.of(address), "emailVerified", List.of("true"), "password", List.of(""),
                "_csrf", List.of(csrf)));
        assertThat(console.follow(UserAgent.location(linked)).body()).contains("id=\"done\"");
        assertThat(link(awaitMail(address, 1))).contains("token=");

        HttpResponse<String> again = console.post("/admin/users/~new", Map.of("username", List.of(withLink),
                "password", List.of("another-password"), "_csrf", List.of(csrf)));
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).contains("id=\"problem\"", "is already taken").doesNotContain("another-password");
        HttpResponse<String> noWay = console.post("/admin/users/~new", Map.of("username", List.of("nolink-" + withLink),
                "email", List.of("x-" + address), "password", List.of(""), "_csrf", List.of(csrf)));
        assertThat(noWay.statusCode()).as("no password and no verified address").isEqualTo(400);
        assertThat(count("select count(*) from app_user where username = ?", "nolink-" + withLink)).isZero();

        trail.flushAll();
        assertThat(jdbc.sql("select details->>'target' from audit_event where type = 'user.created' and username = ? order by id")
                .param(operator.username()).query(String.class).list()).containsExactly(withPassword, withLink);
    }

    @Test
    void whenAnOperatorActsOnAnAccountThenEachJobTakesEffectAndNamesTheOperator() throws Exception {
        Operator operator = operators().operator();
        UserAgent console = operators().signedIn(operator);
        String target = userWithEmail();
        UserAgent victim = new UserAgent(baseUrl());
        victim.login(target, "password");
        jdbc.sql("""
                insert into oauth2_authorization_consent (registered_client_id, principal_name, authorities)
                select id, ?, '{SCOPE_read}' from client where client_id = 'web-app'""").param(target).update();

        String page = console.get("/admin/users/" + target).body();
        assertThat(page).contains("id=\"consent-web-app\"", "id=\"sign-out-everywhere\"", "id=\"reset-link\"")
                .doesNotContain("id=\"remove-app\"");
        String csrf = UserAgent.csrf(page);

        assertThat(console.get("/admin/users/" + target + "/sign-out").body()).contains("id=\"consequence\"");
        assertThat(victim.get("/account").statusCode()).as("the confirmation changes nothing").isEqualTo(200);
        console.post("/admin/users/" + target + "/sign-out", Map.of("_csrf", List.of(csrf)));
        assertThat(victim.get("/account").statusCode()).isEqualTo(302);

        // an authenticator app the user enrolled (a lost phone, say)
        secondFactors.pendingEnrolment(target).orElseThrow();
        jdbc.sql("update totp_credential set confirmed_at = now() where user_id = (select id from app_user where username = ?)")
                .param(target).update();
        assertThat(console.get("/admin/users/" + target).body()).contains("id=\"remove-app\"");
        console.post("/admin/users/" + target + "/remove-app", Map.of("_csrf", List.of(csrf)));
        assertThat(count("select count(*) from totp_credential t join app_user u on u.id = t.user_id where u.username = ?",
                target)).isZero();

        console.post("/admin/users/" + target + "/consents/web-app/revoke", Map.of("_csrf", List.of(csrf)));
        assertThat(count("select count(*) from oauth2_authorization_consent where principal_name = ?", target)).isZero();
        assertThat(console.post("/admin/users/" + target + "/consents/no-such-client/revoke",
                Map.of("_csrf", List.of(csrf))).statusCode()).isEqualTo(404);

        HttpResponse<String> reset = console.post("/admin/users/" + target + "/reset-link", Map.of("_csrf", List.of(csrf)));
        assertThat(UserAgent.isRedirect(reset)).isTrue();
        assertThat(link(awaitMail(target + "@example.test", 1))).contains("token=");

        assertThat(console.get("/admin/users/" + target + "/delete").body()).contains("id=\"consequence\"");
        HttpResponse<String> deleted = console.post("/admin/users/" + target + "/delete", Map.of("_csrf", List.of(csrf)));
        assertThat(console.follow(UserAgent.location(deleted)).body()).contains("id=\"deleted\"", target);
        assertThat(console.get("/admin/users/" + target).statusCode()).isEqualTo(404);

        trail.flushAll();
        assertThat(jdbc.sql("""
                select type from audit_event where username = ? and details->>'target' = ?
                and type <> 'recovery.reset_requested' order by id""")
                .params(operator.username(), target).query(String.class).list())
                .containsExactly("logout.everywhere", "second_factor.disabled", "consent.revoked", "user.deleted");
        // the link is mailed after the answer: its event, with the operator's name, comes when it is sent
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> {
            trail.flushAll();
            assertThat(jdbc.sql("""
                    select details->>'outcome' from audit_event where type = 'recovery.reset_requested'
                    and username = ? and details->>'target' = ?""")
                    .params(operator.username(), target).query(String.class).list()).containsExactly("sent");
        });
        for (String action : List.of("sign-out", "remove-app", "remove-passkeys", "delete", "reset-link")) {
            assertThat(console.post("/admin/users/alice/" + action, Map.of()).statusCode()).as(action).isEqualTo(403);
        }
    }

    @Test
    void whenAnOperatorSignsOutOneSessionThenThatBrowserIsSignedOutAndTheOtherStays() throws Exception {
        Operator operator = operators().operator();
        UserAgent console = operators().signedIn(operator);
        String target = newUser("USER");
        UserAgent phone = new UserAgent(baseUrl());
        phone.login(target, "password");
        UserAgent laptop = new UserAgent(baseUrl());
        laptop.login(target, "password");
        String page = console.get("/admin/users/" + target).body();
        List<String> handles = sessionHandles(target, page);
        assertThat(handles).hasSize(2);
        Map<String, List<String>> csrf = Map.of("_csrf", List.of(UserAgent.csrf(page)));

        // a handle of someone else's session, a made-up one, no CSRF token: nothing ends
        String other = newUser("USER");
        UserAgent others = new UserAgent(baseUrl());
        others.login(other, "password");
        String othersHandle = sessionHandles(other, console.get("/admin/users/" + other).body()).get(0);
        assertThat(console.post("/admin/users/" + target + "/sessions/" + othersHandle + "/end", csrf).statusCode())
                .isEqualTo(404);
        assertThat(console.post("/admin/users/" + target + "/sessions/" + UUID.randomUUID() + "/end", csrf)
                .statusCode()).isEqualTo(404);
        assertThat(console.post("/admin/users/" + target + "/sessions/not-a-handle/end", csrf).statusCode())
                .isEqualTo(404);
        assertThat(console.post("/admin/users/" + target + "/sessions/" + handles.get(0) + "/end", Map.of())
                .statusCode()).isEqualTo(403);
        assertThat(others.get("/account").statusCode()).isEqualTo(200);
        assertThat(List.of(phone.get("/account").statusCode(), laptop.get("/account").statusCode()))
                .containsExactly(200, 200);

        HttpResponse<String> ended = console.post("/admin/users/" + target + "/sessions/" + handles.get(0) + "/end", csrf);
        assertThat(console.follow(UserAgent.location(ended)).body()).contains("id=\"done\"");
        assertThat(List.of(phone.get("/account").statusCode(), laptop.get("/account").statusCode()))
                .as("one browser is sent to sign in, the other stays").containsExactlyInAnyOrder(200, 302);
        assertThat(sessionHandles(target, console.get("/admin/users/" + target).body())).containsExactly(handles.get(1));
        assertThat(console.post("/admin/users/" + target + "/sessions/" + handles.get(0) + "/end", csrf).statusCode())
                .as("ended once").isEqualTo(404);

        // the operator's own console session is listed as theirs, with nothing to end it by
        String own = console.get("/admin/users/" + operator.username()).body();
        assertThat(own).contains("your console session");
        assertThat(sessionHandles(operator.username(), own)).isEmpty();

        trail.flushAll();
        assertThat(jdbc.sql("""
                select details->>'via' from audit_event where type = 'logout.session_ended' and username = ?
                and details->>'target' = ?""").params(operator.username(), target).query(String.class).list())
                .containsExactly("operator");
    }

    private static List<String> sessionHandles(String username, String page) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("action=\"/admin/users/" + java.util.regex.Pattern.quote(username) + "/sessions/([0-9a-f-]{36})/end\"")
                .matcher(page);
        List<String> handles = new java.util.ArrayList<>();
        while (m.find()) {
            handles.add(m.group(1));
        }
        return handles;
    }

    /** Sixteen deletes of one account released at once: one deletes it, the others find nothing; no 5xx. */
    @Test
    void whenSixteenDeletesOfOneUserRaceThenOneDeletesAndNoneIsAServerError() throws Exception {
        UserAgent console = operators().signedIn(operators().operator());
        String target = newUser("USER");
        new UserAgent(baseUrl()).login(target, "password");
        String csrf = UserAgent.csrf(console.get("/admin/users/" + target + "/delete").body());
        int parallel = 16;
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(parallel);
        List<Integer> statuses = new java.util.ArrayList<>();
        try {
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < parallel; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return console.post("/admin/users/" + target + "/delete", Map.of("_csrf", List.of(csrf))).statusCode();
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<Integer> answer : answers) {
                statuses.add(answer.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(statuses).allSatisfy(status -> assertThat(status).isIn(302, 404));
        assertThat(statuses).contains(302);
        assertThat(count("select count(*) from app_user where username = ?", target)).isZero();
        trail.flushAll();
        assertThat(count("select count(*) from audit_event where type = 'user.deleted' and details->>'target' = ?", target))
                .isEqualTo(1);
    }

    private long count(String sql, String parameter) {
        return jdbc.sql(sql).param(parameter).query(Long.class).single();
    }

    private ConsoleOperators operators() {
        return new ConsoleOperators(secondFactors, this::newUser, baseUrl());
    }
}
