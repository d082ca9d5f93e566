package dev.ostiary.secondfactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;

import dev.ostiary.crypto.MasterKey;
import dev.ostiary.support.ServerTest;
import dev.ostiary.support.TestSecrets;
import dev.ostiary.support.TokensClient;
import dev.ostiary.support.TotpCodes;
import dev.ostiary.support.UserAgent;

/**
 * The authenticator app end to end over HTTP, with a cookie jar per browser: enrolment, the step after
 * the password (Rule R1), a code working once under concurrency, lockout, recovery codes, the secret at
 * rest, and the password grant's {@code totp}.
 */
class SecondFactorFlowTest extends ServerTest {

    private static final Pattern MANUAL_KEY = Pattern.compile("id=\"manual-key\">([A-Z2-7 ]+)<");
    private static final Pattern RECOVERY_CODE = Pattern.compile("<code>([0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4})</code>");

    /** A user with an authenticator app: the name, its base32 secret, its recovery codes. */
    record Enrolled(String username, String secret, List<String> recoveryCodes) {
    }

    @Test
    void whenUserEnrolsThenRecoveryCodesAreShownOnceAndTheNextSignInAsksForTheCode() throws Exception {
        Enrolled user = enrolled();
        assertThat(user.recoveryCodes()).hasSize(10).doesNotHaveDuplicates();

        UserAgent browser = new UserAgent(baseUrl());
        HttpResponse<String> login = browser.login(user.username(), "password");
        assertThat(UserAgent.location(login)).endsWith("/");
        HttpResponse<String> home = browser.get("/");
        // Spring's missing-factor entry point names the factors: totp and recovery_code, both missing
        assertThat(UserAgent.location(home)).contains(SecondFactorStep.PAGE + "?factor.type=totp");
        HttpResponse<String> page = browser.get(SecondFactorStep.PAGE);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("autocomplete=\"one-time-code\"", "inputmode=\"numeric\"",
                "Use a recovery code instead").doesNotContain("passkeys");

        HttpResponse<String> proven = browser.post(SecondFactorStep.PAGE, Map.of("code",
                List.of(TotpCodes.next(user.secret(), Clock.systemUTC())), "_csrf", List.of(UserAgent.csrf(page.body()))));
        assertThat(UserAgent.isRedirect(proven)).isTrue();
        HttpResponse<String> account = browser.get(SecondFactorAccountController.PAGE);
        assertThat(account.statusCode()).isEqualTo(200);
        assertThat(account.body()).contains("10 recovery codes left").doesNotContain("manual-key");
    }

    @Test
    void whenOnlyThePasswordIsProvenThenEveryBrowserPathGoesToTheSecondFactorPage() throws Exception {
        Enrolled user = enrolled();
        UserAgent browser = new UserAgent(baseUrl());
        browser.login(user.username(), "password");
        String authorize = "/oauth2/authorize?response_type=code&client_id=web-app&scope=read"
                + "&redirect_uri=http://127.0.0.1:18999/callback&state=s1&code_challenge_method=S256"
                + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        for (String path : List.of("/", "/account/second-factor", "/account/applications", "/account/consents",
                "/%61ccount/consents", "/account/consents/", "//account/consents", "/oauth2/consent", authorize,
                "/oauth2/device_verification?user_code=ABCD-EFGH", "/activate?user_code=ABCD-EFGH")) {
            HttpResponse<String> response = browser.get(path);
            if (path.startsWith("/activate")) {
                continue; // the code entry page is public; it submits to the verification endpoint
            }
            assertThat(response.statusCode()).as(path).isIn(302, 400);
            if (response.statusCode() == 302) {
                assertThat(UserAgent.location(response)).as(path).contains(SecondFactorStep.PAGE + "?");
            }
            assertThat(response.body()).as(path).doesNotContain(user.username());
        }
        // the code then continues the saved authorization request: to the client with a code
        HttpResponse<String> saved = browser.get(authorize);
        assertThat(UserAgent.location(saved)).contains(SecondFactorStep.PAGE + "?");
        HttpResponse<String> page = browser.get(SecondFactorStep.PAGE);
        HttpResponse<String> proven = browser.post(SecondFactorStep.PAGE, Map.of("code",
                List.of(TotpCodes.next(user.secret(), Clock.systemUTC())), "_csrf", List.of(UserAgent.csrf(page.body()))));
        assertThat(UserAgent.location(proven)).contains("/oauth2/authorize").contains("client_id=web-app");
        HttpResponse<String> consent = browser.follow(UserAgent.location(proven));
        assertThat(consent.body()).contains("Demo web app");
    }

    @Test
    void whenTheSameCodeIsSubmittedConcurrentlyThenExactlyOneSucceeds() throws Exception {
        Enrolled user = enrolled();
        int sessions = 24;
        List<UserAgent> browsers = new ArrayList<>();
        List<String> csrfs = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            UserAgent browser = new UserAgent(baseUrl());
            browser.login(user.username(), "password");
            csrfs.add(UserAgent.csrf(browser.get(SecondFactorStep.PAGE).body()));
            browsers.add(browser);
        }
        String code = TotpCodes.next(user.secret(), Clock.systemUTC());
        List<Integer> statuses = raced(sessions, i -> browsers.get(i).post(SecondFactorStep.PAGE,
                Map.of("code", List.of(code), "_csrf", List.of(csrfs.get(i)))).statusCode());
        assertThat(statuses.stream().filter(s -> s == 302).count()).as(statuses.toString()).isEqualTo(1);
        assertThat(statuses).allMatch(s -> s == 302 || s == 401 || s == 429);
    }

    @Test
    void whenARecoveryCodeIsUsedConcurrentlyThenExactlyOneSucceedsAndItNeverWorksAgain() throws Exception {
        Enrolled user = enrolled();
        int sessions = 16;
        List<UserAgent> browsers = new ArrayList<>();
        List<String> csrfs = new ArrayList<>();
        for (int i = 0; i < sessions + 1; i++) {
            UserAgent browser = new UserAgent(baseUrl());
            browser.login(user.username(), "password");
            csrfs.add(UserAgent.csrf(browser.get(SecondFactorStep.PAGE + "?recovery").body()));
            browsers.add(browser);
        }
        String code = user.recoveryCodes().get(3).toUpperCase();
        List<Integer> statuses = raced(sessions, i -> browsers.get(i).post(SecondFactorStep.PAGE,
                Map.of("recovery_code", List.of(code), "_csrf", List.of(csrfs.get(i)))).statusCode());
        assertThat(statuses.stream().filter(s -> s == 302).count()).as(statuses.toString()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from recovery_code r join app_user u on u.id = r.user_id"
                + " where u.username = ?").param(user.username()).query(Integer.class).single()).isEqualTo(9);
    }

    @Test
    void whenWrongCodesReachTheThresholdThenEvenTheRightCodeIsRefused() throws Exception {
        Enrolled user = enrolled();
        UserAgent browser = new UserAgent(baseUrl());
        browser.login(user.username(), "password");
        String csrf = UserAgent.csrf(browser.get(SecondFactorStep.PAGE).body());
        String right = TotpCodes.next(user.secret(), Clock.systemUTC());
        String wrong = right.equals("000000") ? "111111" : "000000";
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> failed = browser.post(SecondFactorStep.PAGE, Map.of("code", List.of(wrong),
                    "_csrf", List.of(csrf)));
            assertThat(failed.statusCode()).isIn(401, 429);
            assertThat(failed.body()).contains("role=\"alert\"");
        }
        HttpResponse<String> locked = browser.post(SecondFactorStep.PAGE, Map.of("code", List.of(right),
                "_csrf", List.of(csrf)));
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.body()).contains("Too many wrong codes");
    }

    @Test
    void whenTheDatabaseIsReadThenTheSecretIsSealedForItsUserOnly() throws Exception {
        Enrolled user = enrolled();
        UUID id = jdbc.sql("select id from app_user where username = ?").param(user.username()).query(UUID.class)
                .single();
        byte[] sealed = jdbc.sql("select secret_sealed from totp_credential where user_id = ?").param(id)
                .query(byte[].class).single();
        byte[] secret = decodeBase32(user.secret());
        assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(user.secret());
        assertThat(java.util.Collections.indexOfSubList(toList(sealed), toList(secret))).isEqualTo(-1);
        MasterKey serverKey = MasterKey.fromBase64(TestSecrets.MASTER_KEY);
        assertThat(serverKey.decrypt(sealed, id.toString())).isEqualTo(secret);
        assertThatThrownBy(() -> serverKey.decrypt(sealed, UUID.randomUUID().toString()))
                .isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> MasterKey.generate().decrypt(sealed, id.toString()))
                .isInstanceOf(GeneralSecurityException.class);
        assertThat(jdbc.sql("select count(*) from recovery_code where user_id = ? and code_digest = ?")
                .params(id, user.recoveryCodes().get(0).getBytes()).query(Integer.class).single()).isZero();
    }

    @Test
    void whenPasswordGrantUserHasAnAppThenTotpIsRequiredAndRecordedAsAFactor() throws Exception {
        Enrolled user = enrolled();
        URI token = uri("/oauth2/token");
        ClientSecretBasic client = new ClientSecretBasic(new ClientID("trusted-app"), new Secret("trusted-secret"));
        TokenResponse missing = TokenResponse.parse(new TokenRequest(token, client,
                new com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant(user.username(), new Secret("password")),
                Scope.parse("read")).toHTTPRequest().send());
        assertThat(((TokenErrorResponse) missing).getErrorObject().getCode()).isEqualTo("invalid_grant");
        TokenResponse wrong = TokenResponse.parse(new TokenRequest(token, client,
                new TokensClient.PasswordWithTotpGrant(user.username(), "password", "12345x"), Scope.parse("read"))
                .toHTTPRequest().send());
        assertThat(((TokenErrorResponse) wrong).getErrorObject().getCode()).isEqualTo("invalid_grant");
        String code = TotpCodes.next(user.secret(), Clock.systemUTC());
        TokenResponse issued = TokenResponse.parse(new TokenRequest(token, client,
                new TokensClient.PasswordWithTotpGrant(user.username(), "password", code), Scope.parse("read"))
                .toHTTPRequest().send());
        assertThat(issued.indicatesSuccess()).isTrue();
        assertThat(jdbc.sql("select count(*) from oauth2_authorization where principal_name = ?"
                + " and attributes::text like '%FACTOR_TOTP%'").param(user.username()).query(Integer.class).single())
                .isEqualTo(1);
        // the same code again: used up
        TokenResponse replayed = TokenResponse.parse(new TokenRequest(token, client,
                new TokensClient.PasswordWithTotpGrant(user.username(), "password", code), Scope.parse("read"))
                .toHTTPRequest().send());
        assertThat(((TokenErrorResponse) replayed).getErrorObject().getCode()).isEqualTo("invalid_grant");
    }

    @Test
    void whenBobAsksForAnAdminTokenThenHisDemoCodeWorks() throws Exception {
        assertThat(TokensClient.adminToken(baseUrl())).isNotBlank();
        assertThat(TokensClient.adminToken(baseUrl())).isEqualTo(TokensClient.adminToken(baseUrl()));
    }

    @Test
    void whenUserDisablesWithACodeThenSignInNeedsOnlyThePassword() throws Exception {
        Enrolled user = enrolled();
        UserAgent browser = new UserAgent(baseUrl());
        browser.login(user.username(), "password");
        String csrf = UserAgent.csrf(browser.get(SecondFactorStep.PAGE).body());
        browser.post(SecondFactorStep.PAGE, Map.of("recovery_code", List.of(user.recoveryCodes().get(0)),
                "_csrf", List.of(csrf)));
        String page = browser.get(SecondFactorAccountController.PAGE).body();
        HttpResponse<String> refused = browser.post(SecondFactorAccountController.PAGE + "/disable",
                Map.of("code", List.of(user.recoveryCodes().get(0)), "_csrf", List.of(UserAgent.csrf(page))));
        assertThat(refused.statusCode()).isEqualTo(400);
        HttpResponse<String> disabled = browser.post(SecondFactorAccountController.PAGE + "/disable",
                Map.of("code", List.of(user.recoveryCodes().get(1)), "_csrf", List.of(UserAgent.csrf(page))));
        assertThat(UserAgent.location(disabled)).endsWith("?disabled");
        UserAgent again = new UserAgent(baseUrl());
        again.login(user.username(), "password");
        assertThat(again.get("/account/consents").statusCode()).isEqualTo(200);
    }

    @Test
    void whenAPolicyAsksForASecondFactorThatTheUserLacksThenThePageLeadsToEnrolmentAndBack() throws Exception {
        String username = newUser("USER");
        UserAgent browser = new UserAgent(baseUrl());
        browser.login(username, "password");
        // nothing enrolled and nothing required: the page is not in the way
        assertThat(UserAgent.location(browser.get(SecondFactorStep.PAGE))).endsWith("/");
        HttpResponse<String> required = browser.get(SecondFactorStep.PAGE + "?required");
        assertThat(required.statusCode()).isEqualTo(200);
        assertThat(required.body()).contains("href=\"/account/second-factor\"", "Set up an authenticator app");
        // after enrolling in this session, the session has the factor: no second prompt
        String page = browser.get(SecondFactorAccountController.PAGE).body();
        Matcher key = MANUAL_KEY.matcher(page);
        assertThat(key.find()).isTrue();
        HttpResponse<String> codes = browser.post(SecondFactorAccountController.PAGE + "/confirm", Map.of("code",
                List.of(TotpCodes.next(key.group(1).replace(" ", ""), Clock.systemUTC())),
                "_csrf", List.of(UserAgent.csrf(page))));
        assertThat(codes.body()).contains("href=\"/login/second-factor\"");
        assertThat(browser.get("/account/consents").statusCode()).isEqualTo(200);
        assertThat(UserAgent.location(browser.get(SecondFactorStep.PAGE))).endsWith("/");
    }

    @Test
    void whenNobodyIsSignedInThenTheSecondFactorPageSendsToTheLoginPage() throws Exception {
        HttpResponse<String> response = new UserAgent(baseUrl()).get(SecondFactorStep.PAGE);
        assertThat(UserAgent.location(response)).endsWith("/login");
    }

    private interface Racer {
        int run(int index) throws Exception;
    }

    /** Runs {@code n} requests released at once by a latch. */
    private static List<Integer> raced(int n, Racer racer) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                results.add(pool.submit(() -> {
                    start.await();
                    return racer.run(index);
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> result : results) {
                statuses.add(result.get());
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A new user who set up an app through the account page (password sign-in, key from the page, first code). */
    Enrolled enrolled() throws Exception {
        String username = newUser("USER");
        UserAgent browser = new UserAgent(baseUrl());
        browser.login(username, "password");
        HttpResponse<String> page = browser.get(SecondFactorAccountController.PAGE);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<svg").doesNotContain("<script");
        Matcher key = MANUAL_KEY.matcher(page.body());
        assertThat(key.find()).isTrue();
        String secret = key.group(1).replace(" ", "");
        assertThat(secret).hasSize(32);
        HttpResponse<String> confirmed = browser.post(SecondFactorAccountController.PAGE + "/confirm",
                Map.of("code", List.of(TotpCodes.next(secret, Clock.systemUTC())),
                        "_csrf", List.of(UserAgent.csrf(page.body()))));
        assertThat(confirmed.statusCode()).isEqualTo(200);
        assertThat(confirmed.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        List<String> codes = new ArrayList<>();
        Matcher code = RECOVERY_CODE.matcher(confirmed.body());
        while (code.find()) {
            codes.add(code.group(1));
        }
        return new Enrolled(username, secret, codes);
    }

    private static byte[] decodeBase32(String base32) {
        return Base32.decode(base32);
    }

    private static List<Byte> toList(byte[] bytes) {
        List<Byte> list = new ArrayList<>();
        for (byte b : bytes) {
            list.add(b);
        }
        return list;
    }

    static Instant now() {
        return Instant.now();
    }
}
