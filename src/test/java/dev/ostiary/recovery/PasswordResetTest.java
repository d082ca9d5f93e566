package dev.ostiary.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import dev.ostiary.crypto.Digests;

/**
 * "Forgot password" over HTTP against a real SMTP server: the same answer for every name, the mail
 * in the request's language, a link that works once (also when two dozen uses arrive at once),
 * expires, and revokes what the old password opened.
 */
class PasswordResetTest extends MailServerTest {

    private static final String SENT = "id=\"link-sent\"";

    private boolean signsIn(String username, String password) throws Exception {
        FormClient client = new FormClient(baseUrl(), null);
        client.get("/login");
        HttpResponse<String> response = client.post("/login", Map.of("username", username, "password", password));
        return response.statusCode() == 302 && !response.headers().firstValue("Location").orElse("").contains("error");
    }

    private String requestLink(String identifier, String language) throws Exception {
        FormClient client = new FormClient(baseUrl(), language);
        client.get("/forgot-password");
        HttpResponse<String> response = client.post("/forgot-password", Map.of("identifier", identifier));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains(SENT);
        return response.body();
    }

    private HttpResponse<String> reset(String link, String password, String confirm) throws Exception {
        FormClient client = new FormClient(baseUrl(), null);
        HttpResponse<String> form = client.get(link);
        assertThat(form.statusCode()).isEqualTo(200);
        return client.post("/reset-password", Map.of("token", token(link), "password", password, "confirm", confirm));
    }

    @Test
    void whenResetByMailLinkThenNewPasswordWorksAndOldIsRefused() throws Exception {
        String user = userWithEmail();
        String address = user + "@example.test";
        FormClient signedIn = new FormClient(baseUrl(), null);
        signedIn.get("/login");
        signedIn.post("/login", Map.of("username", user, "password", "password"));
        assertThat(signedIn.get("/").statusCode()).isEqualTo(200);
        requestLink(user, null);
        MimeMessage mail = awaitMail(address, 1);
        assertThat(mail.getSubject()).isEqualTo("Reset your Ostiary password");
        assertThat(body(mail)).contains("Hello " + user).contains("30 minutes").doesNotContain("password\n");
        String link = link(mail);
        assertThat(link).startsWith(baseUrl() + "/reset-password?token=");
        // the GET (what a mail scanner fetches) uses nothing up: twice, and the form still works
        new FormClient(baseUrl(), null).get(link);
        HttpResponse<String> done = reset(link, "a-new-password", "a-new-password");
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains("id=\"password-changed\"");
        assertThat(signsIn(user, "a-new-password")).isTrue();
        assertThat(signsIn(user, "password")).isFalse();
        // what the old password opened is closed: the session signed in before the reset is gone
        HttpResponse<String> oldSession = signedIn.get("/");
        assertThat(oldSession.statusCode()).isEqualTo(302);
        assertThat(oldSession.headers().firstValue("Location").orElseThrow()).contains("/login");
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("select details ->> 'outcome' from audit_event"
                + " where type = 'recovery.password_reset' and username = ?").param(user).query(String.class).list()
                .equals(List.of("changed")));
    }

    @Test
    void whenAskedByEmailAddressInGermanThenTheMailIsGerman() throws Exception {
        String user = userWithEmail();
        String address = user + "@example.test";
        String page = requestLink(address.toUpperCase(), "de-DE,de;q=0.9");
        assertThat(page).contains("Bitte prüfen Sie Ihre E-Mails");
        MimeMessage mail = awaitMail(address, 1);
        assertThat(mail.getSubject()).isEqualTo("Ihr Ostiary-Passwort zurücksetzen");
        assertThat(body(mail)).contains("Hallo " + user).contains("innerhalb von 30 Minuten");
        // the page's language, as the language resolver settles it (en or de), not the raw header
        assertThat(mail.getHeader("Content-Language")[0]).isEqualTo("de");
    }

    @Test
    void whenLinkUsedTwiceThenSecondUseGetsAClearErrorAndThePasswordStays() throws Exception {
        String user = userWithEmail();
        requestLink(user, null);
        String link = link(awaitMail(user + "@example.test", 1));
        assertThat(reset(link, "first-new-password", "first-new-password").statusCode()).isEqualTo(200);
        HttpResponse<String> again = new FormClient(baseUrl(), null).get(link);
        assertThat(again.statusCode()).isEqualTo(410);
        assertThat(again.body()).contains("This link does not work");
        FormClient client = new FormClient(baseUrl(), null);
        client.get("/forgot-password");
        HttpResponse<String> post = client.post("/reset-password", Map.of("token", token(link),
                "password", "second-new-password", "confirm", "second-new-password"));
        assertThat(post.statusCode()).isEqualTo(410);
        assertThat(signsIn(user, "first-new-password")).isTrue();
    }

    @Test
    void whenLinkExpiredThenClearErrorAndNothingChanges() throws Exception {
        String user = userWithEmail();
        requestLink(user, null);
        String link = link(awaitMail(user + "@example.test", 1));
        // the link's lifetime is over (what 30 minutes of waiting would do)
        jdbc.sql("update account_link set expires_at = now() - interval '1 second' where token_digest = ?")
                .param(Digests.sha256(token(link))).update();
        HttpResponse<String> page = new FormClient(baseUrl(), null).get(link);
        assertThat(page.statusCode()).isEqualTo(410);
        assertThat(page.body()).contains("This link has expired");
        FormClient client = new FormClient(baseUrl(), null);
        client.get("/forgot-password");
        assertThat(client.post("/reset-password", Map.of("token", token(link), "password", "expired-password",
                "confirm", "expired-password")).body()).contains("This link has expired");
        assertThat(signsIn(user, "password")).isTrue();
    }

    @Test
    void whenAccountUnknownThenSameAnswerAndNoMail() throws Exception {
        String known = userWithEmail();
        String unknownAnswer = requestLink("nobody-" + known, null);
        String knownAnswer = requestLink(known, null);
        assertThat(unknownAnswer.replaceAll("name=\"_csrf\" value=\"[^\"]+\"", ""))
                .isEqualTo(knownAnswer.replaceAll("name=\"_csrf\" value=\"[^\"]+\"", ""));
        // one worker handles requests in order: once the known name's mail is in, the unknown one is done
        awaitMail(known + "@example.test", 1);
        assertThat(mailsTo("nobody-" + known + "@example.test")).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("select count(*) from audit_event where type ="
                + " 'recovery.reset_requested' and details ->> 'outcome' = 'no_account' and occurred_at > now() - interval '1 minute'")
                .query(Integer.class).single() > 0);
    }

    @Test
    void whenAddressUnverifiedThenNoMail() throws Exception {
        String unverified = newUser("USER");
        jdbc.sql("update app_user set email = ?, email_verified = false where username = ?")
                .params(unverified + "@example.test", unverified).update();
        String marker = userWithEmail();
        requestLink(unverified, null);
        requestLink(marker, null);
        awaitMail(marker + "@example.test", 1);
        assertThat(mailsTo(unverified + "@example.test")).isEmpty();
    }

    @Test
    void whenManyMailsAskedForOneAccountThenOnlyTheBudgetIsSent() throws Exception {
        String user = userWithEmail();
        for (int i = 0; i < 5; i++) {
            requestLink(user, null);
        }
        String marker = userWithEmail();
        requestLink(marker, null);
        awaitMail(marker + "@example.test", 1);
        assertThat(mailsTo(user + "@example.test")).hasSize(3);
        // only the newest link works: an older one found in the mailbox later opens nothing
        List<MimeMessage> mails = mailsTo(user + "@example.test");
        assertThat(new FormClient(baseUrl(), null).get(link(mails.get(0))).statusCode()).isEqualTo(410);
        assertThat(new FormClient(baseUrl(), null).get(link(mails.get(2))).statusCode()).isEqualTo(200);
    }

    @Test
    void whenTwentyFourUsesOfOneLinkArriveAtOnceThenExactlyOnePasswordIsSet() throws Exception {
        String user = userWithEmail();
        requestLink(user, null);
        String link = link(awaitMail(user + "@example.test", 1));
        int n = 24;
        List<FormClient> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FormClient client = new FormClient(baseUrl(), null);
            assertThat(client.get(link).statusCode()).isEqualTo(200);
            clients.add(client);
        }
        CyclicBarrier start = new CyclicBarrier(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            FormClient client = clients.get(i);
            String password = "concurrent-" + i;
            results.add(pool.submit(() -> {
                start.await();
                return client.post("/reset-password", Map.of("token", token(link), "password", password,
                        "confirm", password)).statusCode();
            }));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> result : results) {
            statuses.add(result.get());
        }
        pool.shutdown();
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 410).hasSize(n - 1);
        int winner = statuses.indexOf(200);
        assertThat(signsIn(user, "concurrent-" + winner)).isTrue();
        // the audit trail is written in batches: wait for the one event
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("select count(*) from audit_event"
                + " where type = 'recovery.password_reset' and username = ?").param(user).query(Integer.class).single() == 1);
    }

    @Test
    void whenPasswordsDifferOrAreShortThenTheFormSaysSoAndTheLinkStillWorks() throws Exception {
        String user = userWithEmail();
        requestLink(user, null);
        String link = link(awaitMail(user + "@example.test", 1));
        HttpResponse<String> mismatch = reset(link, "long-enough-1", "long-enough-2");
        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(mismatch.body()).contains("The two passwords differ").contains("role=\"alert\"");
        HttpResponse<String> tooShort = reset(link, "short", "short");
        assertThat(tooShort.statusCode()).isEqualTo(400);
        assertThat(tooShort.body()).contains("8 to 200 characters");
        assertThat(reset(link, "long-enough-3", "long-enough-3").statusCode()).isEqualTo(200);
    }

    @Test
    void whenPostedWithoutCsrfThenRefused() throws Exception {
        FormClient client = new FormClient(baseUrl(), null);
        assertThat(client.postRaw("/forgot-password", "identifier=alice").statusCode()).isEqualTo(403);
        assertThat(client.postRaw("/reset-password", "token=x&password=aaaaaaaa&confirm=aaaaaaaa").statusCode())
                .isEqualTo(403);
        assertThat(client.postRaw("/verify-email", "token=x").statusCode()).isEqualTo(403);
        assertThat(client.postRaw("/register", "username=x&email=x%40example.test&password=aaaaaaaa&confirm=aaaaaaaa")
                .statusCode()).isEqualTo(403);
        String user = userWithEmail();
        FormClient signedIn = new FormClient(baseUrl(), null);
        signedIn.get("/login");
        signedIn.post("/login", Map.of("username", user, "password", "password"));
        assertThat(signedIn.get("/account/profile").statusCode()).isEqualTo(200);
        assertThat(signedIn.postRaw("/account/profile/email", "email=new%40example.test&current-password=password")
                .statusCode()).isEqualTo(403);
        assertThat(signedIn.postRaw("/account/profile/resend", "").statusCode()).isEqualTo(403);
    }

    @Test
    void whenParametersRepeatedOrHugeOrTokenMalformedThenFourHundredsNeverFiveHundreds() throws Exception {
        FormClient client = new FormClient(baseUrl(), null);
        client.get("/forgot-password");
        assertThat(client.post("/forgot-password", List.of(Map.entry("identifier", "alice"),
                Map.entry("identifier", "bob"))).statusCode()).isEqualTo(400);
        assertThat(client.post("/forgot-password", Map.of("identifier", "a".repeat(300))).statusCode())
                .isEqualTo(400);
        assertThat(client.post("/forgot-password", Map.of("identifier", "")).statusCode()).isEqualTo(400);
        int huge = client.post("/forgot-password", Map.of("identifier", "a".repeat(200_000))).statusCode();
        assertThat(huge).isBetween(400, 499);
        assertThat(client.get("/reset-password?token=not-a-token").statusCode()).isEqualTo(410);
        assertThat(client.get("/reset-password?token=a&token=b").statusCode()).isEqualTo(400);
        assertThat(client.get("/reset-password").statusCode()).isEqualTo(410);
        assertThat(client.get("/verify-email?token=" + "A".repeat(43)).statusCode()).isEqualTo(410);
        client.get("/forgot-password");
        assertThat(client.post("/reset-password", List.of(Map.entry("token", "A".repeat(43)),
                Map.entry("password", "aaaaaaaa"), Map.entry("password", "bbbbbbbb"),
                Map.entry("confirm", "aaaaaaaa"))).statusCode()).isEqualTo(400);
    }

    @Test
    void whenTheAdminApiCreatesAUserWithAnAddressThenItIsShownLowerCaseAndUnique() throws Exception {
        String name = "api-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String token = dev.ostiary.support.TokensClient.adminToken(baseUrl());
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.function.BiFunction<String, String, java.net.http.HttpRequest> post = (path, json) ->
                java.net.http.HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> created = http.send(post.apply("/admin/api/users", "{\"username\":\"" + name
                + "\",\"password\":\"password-1\",\"email\":\"" + name.toUpperCase() + "@Example.TEST\"}"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).contains("\"email\":\"" + name + "@example.test\"").contains("\"emailVerified\":false");
        HttpResponse<String> duplicate = http.send(post.apply("/admin/api/users", "{\"username\":\"" + name
                + "-2\",\"password\":\"password-1\",\"email\":\"" + name + "@example.test\"}"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(duplicate.statusCode()).isEqualTo(400);
        assertThat(duplicate.body()).contains("email");
    }

    @Test
    void whenTheDatabaseIsDumpedThenNoLinkIsInIt() throws Exception {
        String user = userWithEmail();
        requestLink(user, null);
        String token = token(link(awaitMail(user + "@example.test", 1)));
        List<String> stored = jdbc.sql("select encode(token_digest, 'hex') || email from account_link")
                .query(String.class).list();
        assertThat(stored).noneMatch(row -> row.contains(token));
        assertThat(jdbc.sql("select count(*) from account_link where token_digest = ?")
                .param(Digests.sha256(token)).query(Integer.class).single()).isEqualTo(1);
    }
}
