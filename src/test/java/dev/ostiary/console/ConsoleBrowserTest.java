package dev.ostiary.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.json.JsonMapper;

import dev.ostiary.audit.AuditTrail;
import dev.ostiary.support.Browser;
import dev.ostiary.support.Jwks;
import dev.ostiary.support.ServerTest;
import dev.ostiary.support.TokensClient;
import dev.ostiary.support.TotpCodes;
import dev.ostiary.support.UserAgent;

/**
 * The operator console in Chromium, in each language, walked as an operator would: an operator of the
 * test's own (role ADMIN, an authenticator app enrolled over HTTP, so no TOTP code is shared with other
 * tests) opens the clients list, is sent to sign in and to the second-factor page, and lands on the list
 * (the saved request). Clients: search, grant, owner and last-use filters, paging, a new secret, disable,
 * delete, the create and edit form. Users: search, paging, lock/unlock, disable/enable, roles, a consent
 * revoked, sign out everywhere, create, delete. Keys: rotate, an emergency revoke (a token the key signed
 * stops verifying). Audit: filters, paging, both exports downloaded. The overview's charts and the
 * catalog. ({@link ConsoleRescueBrowserTest} walks the second factors, passkeys and reset link.) Every
 * kind of page passes axe-core (nothing serious or critical), has {@code <html lang>} of the chosen
 * language and no untranslated message key; each change is in the audit trail with the operator's name.
 * A user without role ADMIN gets the 403 "Operators only" page.
 */
class ConsoleBrowserTest extends ServerTest {

    private static final Pattern MANUAL_KEY = Pattern.compile("id=\"manual-key\">([A-Z2-7 ]+)<");

    /** Texts the walk expects, per language. */
    private record Texts(String disableConsequence, String secretConsequence, String notOperator) {
    }

    private static final Map<String, Texts> TEXTS = Map.of(
            "en", new Texts("live authorizations", "stops working", "Operators only"),
            "de", new Texts("gültigen Autorisierungen", "gilt sofort nicht mehr", "Nur für Betreiber"));

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private AuditTrail trail;

    private ConsoleWalk walk;
    private ChromeDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void openBrowser() {
        walk = ConsoleWalk.open(baseUrl());
        browser = walk.browser();
        wait = walk.waiting();
    }

    @AfterEach
    void closeBrowser() {
        if (walk != null) {
            walk.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "en", "de" })
    void whenAnOperatorWalksTheConsoleThenEveryPageIsAccessibleTranslatedAndEveryChangeAudited(String lang)
            throws Exception {
        Texts texts = TEXTS.get(lang);
        String operator = newUser("USER", "ADMIN");
        String secret = enrolTotp(operator);
        String clientId = "console-" + lang + "-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("""
                insert into client (id, client_id, client_name, auth_methods, grant_types, secret_hash)
                values (gen_random_uuid(), ?, ?, '{client_secret_basic}', '{client_credentials}', 'x')""")
                .params(clientId, "Console throwaway " + clientId).update();

        // the language is chosen before signing in (a cookie); then the console sends the browser to sign in,
        // and the saved request (Spring Security marks its address with ?continue) back to the list
        walk.signIn(operator, secret, lang, "/admin/clients");
        waitFor(By.id("clients"));
        assertThat(browser.findElement(By.id("operator")).getText()).isEqualTo(operator);
        assertThat(browser.findElement(By.id("nav-clients")).getAttribute("aria-current")).isEqualTo("page");
        check("list");
        Browser.screenshot(browser, "console-list-" + lang);
        String allCount = browser.findElement(By.id("match-count")).getText();

        // live: typing filters the list in place (htmx), without a new page; emptying the field brings all back
        walk.typeLive(By.id("q"), "web-app");
        assertThat(browser.findElement(By.id("client-web-app")).isDisplayed()).isTrue();
        assertThat(browser.findElements(By.id("client-svc-client"))).isEmpty();
        assertThat(browser.findElement(By.id("match-count")).getText()).isNotEqualTo(allCount);
        check("list-live");
        walk.typeLive(By.id("q"), "");
        assertThat(browser.findElement(By.id("match-count")).getText()).isEqualTo(allCount);

        // search: only rows whose id or name has "web-app"
        search("web-app", "");
        assertThat(browser.findElement(By.id("client-web-app")).isDisplayed()).isTrue();
        assertThat(browser.findElements(By.id("client-svc-client"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#clients tbody tr")))
                .isNotEmpty()
                .allSatisfy(row -> assertThat(row.getText().toLowerCase(Locale.ROOT)).contains("web-app"));
        assertThat(browser.findElement(By.id("match-count")).getText()).isNotEqualTo(allCount);
        assertThat(browser.findElement(By.id("q")).getAttribute("value")).isEqualTo("web-app");

        // filter by grant: client_credentials clients only (other tests' clients may fill the first page,
        // so each row is checked, not which ones are on it)
        search("", "client_credentials");
        assertThat(browser.findElements(By.cssSelector("#clients tbody tr")))
                .isNotEmpty()
                .allSatisfy(row -> assertThat(row.getText()).contains("client_credentials"));
        assertThat(browser.findElements(By.id("client-web-app"))).isEmpty();
        assertThat(new Select(browser.findElement(By.id("grant"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("client_credentials");

        // paging, owner and last use: 51 clients of an owner of the test's own, one of them given a token today
        String paged = "paged-" + lang + "-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("""
                insert into client (id, client_id, client_name, auth_methods, grant_types, secret_hash, owner_username,
                                    registered_by)
                select gen_random_uuid(), :p || '-' || lpad(n::text, 2, '0'), 'Paged ' || n, '{client_secret_basic}',
                       '{client_credentials}', 'x', :p || '-owner', 'user'
                from generate_series(0, 50) n""").param("p", paged).update();
        jdbc.sql("insert into client_last_token (client_id, last_issued_at) values (? || '-00', now())").param(paged)
                .update();
        search(paged, "");
        assertThat(browser.findElement(By.id("match-count")).getText()).startsWith("51 ");
        pageThrough("clients", "previous-page", 1);
        WebElement owner = browser.findElement(By.id("owner"));
        owner.sendKeys(paged + "-owner");
        new Select(browser.findElement(By.id("unused"))).selectByValue("30");
        search("", "");
        assertThat(browser.findElement(By.id("match-count")).getText()).as("owned, not used in 30 days").startsWith("50 ");
        assertThat(browser.findElements(By.id("client-" + paged + "-00"))).isEmpty();
        owner = browser.findElement(By.id("owner"));
        owner.clear();
        new Select(browser.findElement(By.id("unused"))).selectByValue("0");

        // both: the throwaway client alone, then its page
        search(clientId, "client_credentials");
        assertThat(browser.findElements(By.cssSelector("#clients tbody tr"))).hasSize(1);
        assertThat(browser.findElement(By.id("match-count")).getText()).startsWith("1 ");
        walk.follow(By.cssSelector("#client-" + clientId + " a"));
        waitFor(By.id("client-id"));
        assertThat(browser.findElement(By.id("client-id")).getText()).isEqualTo(clientId);
        check("client");
        Browser.screenshot(browser, "console-client-" + lang);

        // a new secret: the confirmation says what follows, the next page shows the secret once
        walk.follow(By.id("new-secret"));
        assertThat(waitFor(By.id("consequence")).getText()).contains(texts.secretConsequence());
        check("confirm-secret");
        walk.follow(By.id("confirm"));
        String newSecret = waitFor(By.id("client-secret")).getText();
        assertThat(newSecret).isNotBlank();
        check("secret");
        Browser.screenshot(browser, "console-secret-" + lang);
        assertThat(jdbc.sql("select secret_hash from client where client_id = ?").param(clientId)
                .query(String.class).single()).isNotEqualTo("x");
        walk.follow(By.id("secret-done"));
        waitFor(By.id("disable"));

        // disabling: the confirmation names the live authorizations; after it, the client can be enabled again
        walk.follow(By.id("disable"));
        assertThat(waitFor(By.id("consequence")).getText()).contains(texts.disableConsequence());
        check("confirm-disable");
        Browser.screenshot(browser, "console-confirm-" + lang);
        walk.follow(By.id("confirm"));
        waitFor(By.id("done"));
        assertThat(browser.findElement(By.id("done")).getAttribute("role")).isEqualTo("status");
        assertThat(browser.findElement(By.id("enable")).isDisplayed()).isTrue();
        assertThat(browser.findElements(By.id("disable"))).isEmpty();
        assertThat(browser.findElement(By.id("disabled-note")).isDisplayed()).isTrue();
        check("client-disabled");

        // deleting: confirmation, then the list says which one went
        walk.follow(By.id("delete"));
        waitFor(By.id("consequence"));
        check("confirm-delete");
        walk.follow(By.id("confirm"));
        assertThat(waitFor(By.id("deleted")).getText()).contains(clientId);
        assertThat(browser.findElements(By.id("client-" + clientId))).isEmpty();
        check("list-deleted");
        assertThat(jdbc.sql("select count(*) from client where client_id = ?").param(clientId)
                .query(Long.class).single()).isZero();

        // users: find a throwaway user, lock it through the confirmation, unlock it again
        String member = newUser("USER");
        // the member is signed in somewhere and consented to the web app
        new UserAgent(baseUrl()).login(member, "password");
        jdbc.sql("""
                insert into oauth2_authorization_consent (registered_client_id, principal_name, authorities)
                select id, ?, '{SCOPE_read}' from client where client_id = 'web-app'""").param(member).update();
        walk.follow(By.id("nav-users"));
        waitFor(By.id("users"));
        assertThat(browser.findElement(By.id("nav-users")).getAttribute("aria-current")).isEqualTo("page");
        check("users");
        Browser.screenshot(browser, "console-users-" + lang);
        // paging: 51 accounts of a prefix of the test's own
        String people = "people-" + lang + "-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("""
                insert into app_user (id, username, password_hash) select gen_random_uuid(), :p || '-' || lpad(n::text, 2, '0'), 'x'
                from generate_series(0, 50) n""").param("p", people).update();
        filter("q", people);
        assertThat(browser.findElement(By.id("match-count")).getText()).startsWith("51 ");
        pageThrough("users", "previous-page", 1);
        // live: typing filters the list in place (htmx), the address bar keeps the filter
        walk.typeLive(By.id("q"), member);
        assertThat(browser.findElements(By.cssSelector("#users tbody tr"))).hasSize(1);
        assertThat(browser.findElement(By.id("match-count")).getText()).startsWith("1 ");
        assertThat(browser.findElements(By.id("next-page"))).isEmpty();
        check("users-filtered");
        walk.follow(By.cssSelector("#user-" + member + " a"));
        assertThat(waitFor(By.id("username")).getText()).isEqualTo(member);
        check("user");
        Browser.screenshot(browser, "console-user-" + lang);
        walk.follow(By.id("lock"));
        waitFor(By.id("consequence"));
        check("confirm-lock");
        walk.follow(By.id("confirm"));
        waitFor(By.id("locked-note"));
        check("user-locked");
        walk.follow(By.id("unlock"));
        waitFor(By.id("done"));
        assertThat(browser.findElements(By.id("locked-note"))).isEmpty();
        assertThat(jdbc.sql("select locked from app_user where username = ?").param(member).query(Boolean.class)
                .single()).isFalse();
        walk.follow(By.id("disable"));
        waitFor(By.id("consequence"));
        check("confirm-disable-user");
        walk.follow(By.id("confirm"));
        waitFor(By.id("disabled-note"));
        assertThat(jdbc.sql("select enabled from app_user where username = ?").param(member).query(Boolean.class)
                .single()).isFalse();
        walk.follow(By.id("enable"));
        waitFor(By.id("done"));
        assertThat(browser.findElements(By.id("disabled-note"))).isEmpty();

        // roles, a consent revoked, no reset link without a verified address, signing out everywhere
        new UserAgent(baseUrl()).login(member, "password");
        browser.navigate().refresh();
        WebElement roles = waitFor(By.id("roles"));
        roles.clear();
        roles.sendKeys("user auditor");
        walk.follow(By.id("save-roles"));
        waitFor(By.id("done"));
        assertThat(browser.findElement(By.id("roles")).getAttribute("value")).isEqualTo("AUDITOR USER");
        check("user-roles");
        assertThat(browser.findElement(By.id("no-reset-link")).isDisplayed()).isTrue();
        walk.follow(By.id("revoke-web-app"));
        waitFor(By.id("no-consents"));
        check("user-consent-revoked");
        UserAgent memberBrowser = new UserAgent(baseUrl());
        memberBrowser.login(member, "password");
        browser.navigate().refresh();
        walk.follow(waitFor(By.id("sign-out-everywhere")));
        waitFor(By.id("consequence"));
        check("confirm-sign-out");
        walk.follow(By.id("confirm"));
        waitFor(By.id("done"));
        assertThat(browser.findElement(By.id("sessions")).getText()).as("no live session of the member").isEqualTo("0");
        assertThat(memberBrowser.get("/account").statusCode()).isEqualTo(302);

        // a new client through the form: refused first (authorization_code needs a redirect URI), the
        // answer names the field and keeps what was typed; then a service client, its secret shown once
        String formId = "form-" + lang + "-" + UUID.randomUUID().toString().substring(0, 8);
        walk.follow(By.id("nav-clients"));
        walk.follow(waitFor(By.id("new-client")));
        waitFor(By.id("clientName"));
        check("client-form");
        Browser.screenshot(browser, "console-client-form-" + lang);
        browser.findElement(By.id("clientId")).sendKeys(formId);
        browser.findElement(By.id("clientName")).sendKeys("Form " + formId);
        walk.follow(By.id("save-client"));
        assertThat(waitFor(By.id("problem")).getText()).contains("redirectUris");
        assertThat(browser.findElement(By.id("clientId")).getAttribute("value")).isEqualTo(formId);
        check("client-form-refused");
        for (String box : List.of("grant-authorization-code", "grant-refresh-token", "scope-openid")) {
            WebElement checkbox = browser.findElement(By.id(box));
            if (checkbox.isSelected()) {
                checkbox.click();
            }
        }
        browser.findElement(By.id("grant-client-credentials")).click();
        browser.findElement(By.id("scope-read")).click();
        walk.follow(By.id("save-client"));
        assertThat(waitFor(By.id("client-secret")).getText()).isNotBlank();
        check("client-created");
        walk.follow(By.id("secret-done"));
        walk.follow(waitFor(By.id("edit")));
        WebElement name = waitFor(By.id("clientName"));
        check("client-edit");
        name.clear();
        name.sendKeys("Renamed " + formId);
        walk.follow(By.id("save-client"));
        waitFor(By.id("done"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Renamed " + formId);
        assertThat(jdbc.sql("select grant_types from client where client_id = ?").param(formId)
                .query(String.class).single()).contains("client_credentials").doesNotContain("authorization_code");

        // signing keys: the timeline, a rotation through its confirmation, a revocation's confirmation
        walk.follow(By.id("nav-keys"));
        waitFor(By.id("algorithm-RS256"));
        check("keys");
        Browser.screenshot(browser, "console-keys-" + lang);
        String signerBefore = jdbc.sql("select kid from signing_key where algorithm = 'RS256' and state = 'active'")
                .query(String.class).single();
        // a token it signed, as a resource server holds one
        String signedBefore = TokensClient.clientCredentials(baseUrl(), "svc-client", "svc-secret", "read");
        assertThat(SignedJWT.parse(signedBefore).getHeader().getKeyID()).isEqualTo(signerBefore);
        walk.follow(By.id("rotate-RS256"));
        waitFor(By.id("consequence"));
        check("confirm-rotate");
        walk.follow(By.id("confirm"));
        assertThat(waitFor(By.id("rotated")).getText()).doesNotContain(signerBefore);
        check("keys-rotated");
        walk.follow(By.id("revoke-" + signerBefore));
        waitFor(By.id("consequence"));
        check("confirm-revoke");
        Browser.screenshot(browser, "console-revoke-" + lang);
        walk.follow(By.id("cancel"));
        waitFor(By.id("algorithm-RS256"));
        assertThat(jdbc.sql("select state from signing_key where kid = ?").param(signerBefore).query(String.class)
                .single()).isEqualTo("retired");
        // the emergency revoke itself: the key leaves the published set at once, and its tokens stop verifying
        assertThat(Jwks.verify(baseUrl(), signedBefore).getSubject()).as("a retired key still verifies").isNotNull();
        walk.follow(By.id("revoke-" + signerBefore));
        waitFor(By.id("consequence"));
        walk.follow(By.id("confirm"));
        assertThat(waitFor(By.id("revoked")).getText()).contains(signerBefore);
        check("keys-revoked");
        assertThat(browser.findElements(By.id("revoke-" + signerBefore))).as("nothing left to revoke").isEmpty();
        assertThat(jdbc.sql("select state from signing_key where kid = ?").param(signerBefore).query(String.class)
                .single()).isEqualTo("revoked");
        assertThatThrownBy(() -> Jwks.verify(baseUrl(), signedBefore)).as("a revoked key verifies nothing")
                .isInstanceOf(com.nimbusds.jose.proc.BadJOSEException.class);

        // the audit log: this operator's own events, filtered from the form
        trail.flushAll();
        walk.follow(By.id("nav-audit"));
        waitFor(By.id("user")).sendKeys(operator);
        walk.follow(By.id("apply"));
        assertThat(waitFor(By.id("events")).findElements(By.cssSelector("tbody tr"))).isNotEmpty()
                .allSatisfy(row -> assertThat(row.getText()).contains(operator));
        check("audit");
        Browser.screenshot(browser, "console-audit-" + lang);
        // paging: 51 events of a client of the test's own, newest first, then back to the newest
        String audited = "audited-" + lang + "-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("""
                insert into audit_event (occurred_at, type, client_id, details)
                select now() - make_interval(secs => n), 'token.issued', ?, '{}' from generate_series(0, 50) n""")
                .param(audited).update();
        browser.findElement(By.id("user")).clear();
        filter("client", audited);
        pageThrough("events", "first-page", 1);
        browser.findElement(By.id("client")).clear();
        filter("user", operator);
        // both exports of what the filter shows, downloaded as the operator's browser saves them
        Path downloads = Files.createTempDirectory("console-export");
        walk.downloadInto(downloads);
        browser.findElement(By.id("export-jsonl")).click();
        List<String> lines = Files.readAllLines(walk.awaitDownload(downloads, ".jsonl"));
        assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(JSON.readTree(line).get("username").asText())
                .isEqualTo(operator));
        assertThat(lines).anySatisfy(line -> assertThat(JSON.readTree(line).get("type").asText()).isEqualTo("key.revoked"));
        browser.findElement(By.id("export-csv")).click();
        List<String> rows = Files.readAllLines(walk.awaitDownload(downloads, ".csv"));
        assertThat(rows.get(0)).isEqualTo("occurred_at,type,client_id,username,source_ip,details");
        assertThat(rows).hasSize(lines.size() + 1);
        assertThat(rows.subList(1, rows.size())).allSatisfy(row -> assertThat(row.split(",")[3]).isEqualTo(operator));

        // the overview: six small charts of the last hour, drawn by uPlot from this server
        walk.follow(By.id("nav-overview"));
        wait.until(d -> d.findElements(By.cssSelector("#chart-tokens .chart-area canvas")).size() == 1);
        assertThat(browser.findElements(By.cssSelector("figure[data-chart] canvas"))).hasSize(5);
        check("overview");
        Browser.screenshot(browser, "console-overview-" + lang);

        // the catalog; then a user made on the form and deleted through its confirmation
        walk.follow(By.id("nav-catalog"));
        waitFor(By.id("scopes"));
        check("catalog");
        Browser.screenshot(browser, "console-catalog-" + lang);
        walk.follow(By.id("nav-users"));
        walk.follow(waitFor(By.id("new-user")));
        String made = "made-" + lang + "-" + UUID.randomUUID().toString().substring(0, 8);
        waitFor(By.id("username")).sendKeys(made);
        check("user-form");
        browser.findElement(By.id("password")).sendKeys("a-long-password");
        walk.follow(By.id("save-user"));
        wait.until(d -> d.getCurrentUrl().endsWith("/admin/users/" + made));
        waitFor(By.id("done"));
        check("user-created");
        walk.follow(By.id("delete"));
        waitFor(By.id("consequence"));
        check("confirm-delete-user");
        walk.follow(By.id("confirm"));
        assertThat(waitFor(By.id("deleted")).getText()).contains(made);
        assertThat(jdbc.sql("select count(*) from app_user where username = ?").param(made).query(Long.class).single())
                .isZero();

        // the audit trail: each change with the operator's name, as the admin API records it
        trail.flushAll();
        assertThat(jdbc.sql("""
                select type || coalesce(' enabled=' || (details->>'enabled'), '') from audit_event
                where username = ? and details->>'target' = ? order by id""")
                .params(operator, member).query(String.class).list())
                .containsExactly("user.locked", "user.unlocked", "user.updated enabled=false", "user.updated enabled=true",
                        "user.updated", "consent.revoked", "logout.everywhere");
        List<String> events = jdbc.sql("""
                select type || ' ' || coalesce(details->>'enabled', '-') from audit_event
                where client_id = ? and username = ? order by id""")
                .params(clientId, operator).query(String.class).list();
        assertThat(events).containsExactly("client.secret_rotated -", "client.updated false", "client.deleted -");
    }

    @Test
    void whenAUserWithoutRoleAdminSignsInThenTheConsoleSaysOperatorsOnly() throws Exception {
        String user = newUser("USER");

        UserAgent http = new UserAgent(baseUrl());
        http.login(user, "password");
        HttpResponse<String> refused = http.get("/admin/clients");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("Operators only").doesNotContain("client-web-app");

        browser.get(baseUrl() + "/login?lang=en");
        browser.get(baseUrl() + "/admin/clients");
        waitFor(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys("password", Keys.ENTER);
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), TEXTS.get("en").notOperator()));
        assertThat(browser.findElements(By.id("clients"))).isEmpty();
        check("denied");

        // the same page in German, from the switch
        walk.follow(By.id("lang-de"));
        wait.until(d -> "de".equals(d.findElement(By.tagName("html")).getAttribute("lang")));
        walk.expectLanguage("de");
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), TEXTS.get("de").notOperator()));
        check("denied");
    }

    /** Submits the list's filter form with this search text and grant (blank: any). */
    private void search(String text, String grant) {
        WebElement q = browser.findElement(By.id("q"));
        q.clear();
        q.sendKeys(text);
        new Select(browser.findElement(By.id("grant"))).selectByValue(grant);
        walk.follow(By.id("apply"));
        waitFor(By.id("match-count"));
        check("list-filtered");
    }

    /** Types {@code text} into the filter form's field {@code id} and applies the form. */
    private void filter(String id, String text) {
        WebElement field = browser.findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
        walk.follow(By.id("apply"));
        waitFor(By.id("apply"));
    }

    /** On a first page of 50 rows: the next page has {@code onSecondPage} and no next; {@code back} returns. */
    private void pageThrough(String table, String back, int onSecondPage) {
        By rows = By.cssSelector("#" + table + " tbody tr");
        assertThat(browser.findElements(rows)).hasSize(50);
        walk.follow(By.id("next-page"));
        assertThat(waitFor(By.id(table)).findElements(By.cssSelector("tbody tr"))).hasSize(onSecondPage);
        assertThat(browser.findElements(By.id("next-page"))).isEmpty();
        check(table + "-page-2");
        walk.follow(By.id(back));
        assertThat(waitFor(By.id(table)).findElements(By.cssSelector("tbody tr"))).hasSize(50);
    }

    /** Signs in over HTTP and enrols an authenticator app from the page's manual key; returns the secret. */
    private String enrolTotp(String username) throws Exception {
        UserAgent http = new UserAgent(baseUrl());
        http.login(username, "password");
        HttpResponse<String> page = http.get("/account/second-factor");
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher key = MANUAL_KEY.matcher(page.body());
        assertThat(key.find()).as("manual key on the enrolment page").isTrue();
        String secret = key.group(1).replace(" ", "");
        HttpResponse<String> confirmed = http.post("/account/second-factor/confirm",
                Map.of("code", List.of(TotpCodes.next(secret, Clock.systemUTC())),
                        "_csrf", List.of(UserAgent.csrf(page.body()))));
        assertThat(confirmed.statusCode()).isEqualTo(200);
        return secret;
    }

    private void check(String page) {
        walk.check(page);
    }

    private WebElement waitFor(By element) {
        return walk.waitFor(element);
    }
}
