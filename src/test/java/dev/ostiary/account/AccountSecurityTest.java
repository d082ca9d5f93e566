package dev.ostiary.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.ostiary.audit.AuditTrail;
import dev.ostiary.support.ServerTest;
import dev.ostiary.support.UserAgent;
import dev.ostiary.user.UserManagement;

/**
 * The account pages under attack, over HTTP like any browser: forged posts, guessing the current
 * password (one at a time and 16 at once), someone else's session handle, a user deleted while signed
 * in; and what a password change ends. Every user is the test's own; their password is "password".
 */
class AccountSecurityTest extends ServerTest {

    private static final Pattern HANDLE = Pattern.compile("name=\"handle\" value=\"([^\"]+)\"");
    private static final int THRESHOLD = 5; // ostiary.users.lockout-threshold's default

    @Autowired
    UserManagement users;

    @Autowired
    AuditTrail trail;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void whenCsrfTokenIsMissingThenForbiddenAndNothingChanges() throws Exception {
        String user = newUser("USER");
        UserAgent browser = signedIn(user);
        UserAgent other = signedIn(user);
        String handle = otherHandle(browser);

        assertThat(browser.post("/account/password", Map.of("current_password", List.of("password"),
                "new_password", List.of("brand-new-pw"), "confirm_password", List.of("brand-new-pw"))).statusCode())
                .isEqualTo(403);
        assertThat(browser.post("/account/sessions/end", Map.of("handle", List.of(handle))).statusCode())
                .isEqualTo(403);
        // a token of another session is no token of this one
        String othersToken = UserAgent.csrf(other.get("/account/password").body());
        assertThat(browser.post("/account/sessions/end", Map.of("handle", List.of(handle),
                "_csrf", List.of(othersToken))).statusCode()).isEqualTo(403);

        assertThat(other.get("/account").statusCode()).as("the other session lives").isEqualTo(200);
        assertThat(UserAgent.location(new UserAgent(baseUrl()).login(user, "password"))).doesNotContain("error");
    }

    @Test
    void whenCurrentPasswordIsWrongThresholdTimesThenLockedLikeTheLogin() throws Exception {
        String user = newUser("USER");
        UserAgent browser = signedIn(user);
        for (int i = 0; i < THRESHOLD; i++) {
            HttpResponse<String> wrong = change(browser, "guess-" + i, "brand-new-pw");
            assertThat(wrong.statusCode()).isEqualTo(400);
            assertThat(wrong.body()).contains("The current password is not correct.").doesNotContain("guess-" + i)
                    .doesNotContain("brand-new-pw");
        }
        HttpResponse<String> right = change(browser, "password", "brand-new-pw");
        assertThat(right.statusCode()).as("even the right password, while locked").isEqualTo(429);
        assertThat(right.body()).contains("Too many wrong attempts");
        // the login is locked as well: the counter is the login's
        assertThat(UserAgent.location(new UserAgent(baseUrl()).login(user, "password"))).contains("/login?error");
        assertThat(failures(user)).isEqualTo(THRESHOLD);
        trail.flushAll();
        assertThat(jdbc.sql("select count(*) from audit_event where type = 'account.locked' and username = ?")
                .param(user).query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void whenSixteenWrongAttemptsArriveAtOnceThenAtMostThresholdAreChecked() throws Exception {
        String user = newUser("USER");
        UserAgent browser = signedIn(user);
        String token = UserAgent.csrf(browser.get("/account/password").body());
        int attempts = 16;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(attempts);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < attempts; i++) {
                String guess = "guess-" + i;
                answers.add(pool.submit(() -> {
                    start.await();
                    return browser.post("/account/password", Map.of("current_password", List.of(guess),
                            "new_password", List.of("brand-new-pw"), "confirm_password", List.of("brand-new-pw"),
                            "_csrf", List.of(token)));
                }));
            }
            start.countDown();
            int checked = 0;
            for (Future<HttpResponse<String>> answer : answers) {
                int status = answer.get().statusCode();
                assertThat(status).isIn(400, 429, 503);
                checked += status == 400 ? 1 : 0;
            }
            assertThat(checked).as("wrong guesses that were hashed and compared").isLessThanOrEqualTo(THRESHOLD);
        } finally {
            pool.shutdownNow();
        }
        assertThat(failures(user)).isLessThanOrEqualTo(THRESHOLD);
        assertThat(change(browser, "password", "brand-new-pw").statusCode()).as("locked now").isEqualTo(429);
    }

    @Test
    void whenPasswordChangesThenOtherSessionsAndTokensEndAndThisSessionStaysUnderANewId() throws Exception {
        String user = newUser("USER");
        UserAgent browser = signedIn(user);
        UserAgent elsewhere = signedIn(user);
        String refreshToken = json(passwordGrant(user, "password").body(), "refresh_token");
        String cookieBefore = browser.cookie("SESSION").orElseThrow();

        HttpResponse<String> changed = change(browser, "password", "brand-new-pw");
        assertThat(changed.statusCode()).isEqualTo(302);
        assertThat(UserAgent.location(changed)).endsWith("/account/password?changed");
        assertThat(browser.cookie("SESSION").orElseThrow()).as("a new session id").isNotEqualTo(cookieBefore);
        HttpResponse<String> after = browser.get("/account/password?changed");
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).contains("Your password has been changed").doesNotContain("brand-new-pw");

        assertThat(UserAgent.location(elsewhere.get("/account"))).contains("/login");
        HttpResponse<String> refreshed = tokenRequest(Map.of("grant_type", "refresh_token",
                "refresh_token", refreshToken));
        assertThat(refreshed.body()).contains("\"error\":\"invalid_grant\"");
        assertThat(UserAgent.location(new UserAgent(baseUrl()).login(user, "password"))).contains("/login?error");
        assertThat(UserAgent.location(new UserAgent(baseUrl()).login(user, "brand-new-pw"))).doesNotContain("error");
        // the old cookie signs nobody in
        assertThat(jdbc.sql("select count(*) from spring_session where session_id = ?")
                .param(dev.ostiary.session.DigestedSessionIds.storedIdOf(cookieBefore)).query(Integer.class).single())
                .isZero();
        trail.flushAll();
        assertThat(jdbc.sql("select count(*) from audit_event where type = 'user.password_changed' and username = ?")
                .param(user).query(Integer.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select details::text from audit_event where username = ? order by id")
                .param(user).query(String.class).list()).noneMatch(d -> d.contains("brand-new-pw"));
    }

    @Test
    void whenNewPasswordBreaksTheRulesThenExplainedAndNoAttemptCounted() throws Exception {
        String user = newUser("USER");
        UserAgent browser = signedIn(user);
        HttpResponse<String> tooShort = change(browser, "password", "short");
        assertThat(tooShort.statusCode()).isEqualTo(400);
        assertThat(tooShort.body()).contains("at least 8 and at most 200 characters")
                .contains("aria-describedby=\"new-password-error new-password-hint\"");
        HttpResponse<String> differs = browser.post("/account/password", Map.of("current_password", List.of("password"),
                "new_password", List.of("brand-new-pw"), "confirm_password", List.of("brand-new-pX"),
                "_csrf", List.of(UserAgent.csrf(browser.get("/account/password").body()))));
        assertThat(differs.body()).contains("The two new passwords are not the same.");
        assertThat(failures(user)).isZero();
    }

    @Test
    void whenHandleIsSomeoneElsesThenNotFoundAndTheirSessionLives() throws Exception {
        String victim = newUser("USER");
        UserAgent victimBrowser = signedIn(victim);
        UserAgent victimOther = signedIn(victim);
        String victimHandle = otherHandle(victimBrowser);
        String attacker = newUser("USER");
        UserAgent attackerBrowser = signedIn(attacker);

        assertThat(end(attackerBrowser, victimHandle).statusCode()).isEqualTo(404);
        assertThat(end(attackerBrowser, "not-a-handle").statusCode()).isEqualTo(404);
        assertThat(victimOther.get("/account").statusCode()).isEqualTo(200);
        assertThat(victimBrowser.get("/account").statusCode()).isEqualTo(200);

        // the session asking is not ended this way (that is logout), and a handle ends once
        String currentHandle = jdbc.sql("select primary_id from spring_session where principal_name = ?")
                .param(attacker).query(String.class).single().trim();
        assertThat(end(attackerBrowser, currentHandle).statusCode()).isEqualTo(404);
        assertThat(end(victimBrowser, victimHandle).statusCode()).isEqualTo(302);
        assertThat(end(victimBrowser, victimHandle).statusCode()).isEqualTo(404);
        assertThat(UserAgent.location(victimOther.get("/account"))).contains("/login");
        assertThat(victimBrowser.get("/account").statusCode()).isEqualTo(200);
    }

    @Test
    void whenSessionsAreListedThenEachShowsItsDeviceAndAddress() throws Exception {
        String user = newUser("USER");
        UserAgent browser = signedIn(user);
        signedIn(user);
        String page = browser.get("/account/sessions").body();
        assertThat(page).contains("Java on unknown system", "127.0.0.1", "This device");
        assertThat(HANDLE.matcher(page).results().count()).isEqualTo(1);
        // the cookie's digest (the stored id) never appears: the page names sessions by primary id
        for (String storedId : jdbc.sql("select session_id from spring_session where principal_name = ?")
                .param(user).query(String.class).list()) {
            assertThat(page).doesNotContain(storedId.trim());
        }
    }

    @Test
    void whenUserIsDeletedMidSessionThenSentToLogInNever500() throws Exception {
        String deleted = newUser("USER");
        UserAgent browser = signedIn(deleted);
        String token = UserAgent.csrf(browser.get("/account/password").body());
        users.delete(deleted, "test");
        HttpResponse<String> post = browser.post("/account/password", Map.of("current_password", List.of("password"),
                "new_password", List.of("brand-new-pw"), "confirm_password", List.of("brand-new-pw"),
                "_csrf", List.of(token)));
        assertThat(post.statusCode()).isEqualTo(302);
        assertThat(UserAgent.location(post)).contains("/login");

        // behind the application's back (an operator's SQL): nothing expired the session, the page notices
        String gone = newUser("USER");
        UserAgent other = signedIn(gone);
        String otherToken = UserAgent.csrf(other.get("/account/password").body());
        jdbc.sql("delete from app_user where username = ?").param(gone).update();
        for (String path : List.of("/account", "/account/password", "/account/sessions")) {
            HttpResponse<String> page = other.get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(302);
            assertThat(UserAgent.location(page)).as(path).contains("/login");
        }
        HttpResponse<String> change = other.post("/account/password", Map.of("current_password", List.of("password"),
                "new_password", List.of("brand-new-pw"), "confirm_password", List.of("brand-new-pw"),
                "_csrf", List.of(otherToken)));
        assertThat(change.statusCode()).isIn(302, 403);
    }

    @Test
    void whenUserIsLockedBehindTheApplicationsBackThenTheAccountPagesSendToLogIn() throws Exception {
        String user = newUser("USER");
        UserAgent browser = signedIn(user);
        assertThat(browser.get("/account").statusCode()).isEqualTo(200);
        jdbc.sql("update app_user set locked = true where username = ?").param(user).update();
        HttpResponse<String> page = browser.get("/account/sessions");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(UserAgent.location(page)).contains("/login");
        assertThat(UserAgent.location(browser.get("/account"))).as("that session ended").contains("/login");
    }

    // ---- helpers ----

    private UserAgent signedIn(String user) throws Exception {
        UserAgent browser = new UserAgent(baseUrl());
        assertThat(UserAgent.location(browser.login(user, "password"))).doesNotContain("error");
        return browser;
    }

    private static String otherHandle(UserAgent browser) throws Exception {
        Matcher matcher = HANDLE.matcher(browser.get("/account/sessions").body());
        assertThat(matcher.find()).as("another session listed").isTrue();
        return matcher.group(1);
    }

    private static HttpResponse<String> change(UserAgent browser, String current, String proposed) throws Exception {
        String token = UserAgent.csrf(browser.get("/account/password").body());
        return browser.post("/account/password", Map.of("current_password", List.of(current),
                "new_password", List.of(proposed), "confirm_password", List.of(proposed), "_csrf", List.of(token)));
    }

    private static HttpResponse<String> end(UserAgent browser, String handle) throws Exception {
        String token = UserAgent.csrf(browser.get("/account/sessions").body());
        return browser.post("/account/sessions/end", Map.of("handle", List.of(handle), "_csrf", List.of(token)));
    }

    private int failures(String user) {
        return jdbc.sql("select coalesce(max(failures), 0) from failure_counter where kind = 'USER' and key = ?")
                .param(user).query(Integer.class).single();
    }

    private HttpResponse<String> passwordGrant(String user, String password) throws Exception {
        HttpResponse<String> response = tokenRequest(Map.of("grant_type", "password", "username", user,
                "password", password, "scope", "read"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }

    private HttpResponse<String> tokenRequest(Map<String, String> form) throws Exception {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        String basic = Base64.getEncoder().encodeToString("trusted-app:trusted-secret".getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(uri("/oauth2/token")).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String json(String body, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(body);
        assertThat(matcher.find()).as(body).isTrue();
        return matcher.group(1);
    }
}
