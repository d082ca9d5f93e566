package dev.ostiary.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.Pkce;
import dev.ostiary.support.ServerTest;
import dev.ostiary.support.UserAgent;

/**
 * A dump of the database yields no client secret, no token and no private key. The tokens are those
 * the store keeps a row for (a code flow's code, access, refresh and ID tokens); the row is checked to
 * hold their digests, so the dump's "does not contain" can fail.
 */
class StoredSecretsTest extends ServerTest {

    private static final String CALLBACK = "http://127.0.0.1:18999/callback";

    @Test
    void whenDatabaseIsDumpedThenNoSecretTokenOrPrivateKeyAppears() throws Exception {
        UserAgent agent = new UserAgent(baseUrl());
        agent.login(newUser("USER"), "password");
        Pkce pkce = Pkce.s256();
        HttpResponse<String> consent = agent.follow("/oauth2/authorize?response_type=code&client_id=web-app"
                + "&redirect_uri=" + CALLBACK + "&scope=openid%20read&state=s" + pkce.query());
        assertThat(consent.body()).contains("submit-consent");
        String code = UserAgent.parameters(UserAgent.location(agent.answerConsent(consent.body(), "web-app",
                List.of("openid", "read"))), false).get("code");
        TokenResponse response = OIDCTokenResponseParser.parse(new TokenRequest(uri("/oauth2/token"),
                new ClientSecretBasic(new ClientID("web-app"), new Secret("web-secret")),
                new AuthorizationCodeGrant(new AuthorizationCode(code), URI.create(CALLBACK), pkce.verifier()))
                .toHTTPRequest().send());
        assertThat(response.indicatesSuccess()).isTrue();
        OIDCTokens tokens = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens();
        String access = tokens.getAccessToken().getValue();
        String refresh = tokens.getRefreshToken().getValue();
        String idToken = tokens.getIDTokenString();
        Map<String, String> stored = Map.of("code_hash", code, "access_token_hash", access,
                "refresh_token_hash", refresh, "id_token_hash", idToken);
        stored.forEach((column, value) -> assertThat(jdbc.sql("select count(*) from oauth2_authorization where "
                + column + " = sha256(convert_to(?, 'UTF8'))").param(value).query(Integer.class).single())
                .as(column).isEqualTo(1));

        List<String> tables = jdbc.sql("select table_name from information_schema.tables"
                + " where table_schema = 'public' and table_type = 'BASE TABLE'").query(String.class).list();
        StringBuilder dump = new StringBuilder();
        for (String table : tables) {
            jdbc.sql("select to_jsonb(t)::text from \"" + table + "\" t").query(String.class).list()
                    .forEach(row -> dump.append(row).append('\n'));
        }
        String everything = dump.toString();

        assertThat(tables).contains("client", "signing_key", "oauth2_authorization");
        assertThat(everything).contains("svc-client", "{hmac-sha256}");
        for (String secret : List.of("svc-secret", "trusted-secret", "web-secret", "api-secret")) {
            assertThat(everything).doesNotContain(secret);
        }
        for (String token : stored.values()) {
            assertThat(everything).doesNotContain(token);
            // the signature alone would be enough to replay nothing, but neither may it appear
            assertThat(everything).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
        }
        // private JWK members: RSA "d", "p", "q"; EC "d"
        assertThat(everything).doesNotContain("\"d\":", "\"d\": ", "\"p\":", "\"q\":");
    }
}
