package dev.ostiary.grant;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.TokensClient;
import dev.ostiary.support.Jwks;
import dev.ostiary.support.ServerTest;
import dev.ostiary.support.UserAgent;

/** The resource owner password credentials grant, through the Nimbus SDK. */
class PasswordGrantTest extends ServerTest {

    private HTTPResponse passwordGrant(String clientId, String secret, String username, String password, String scope)
            throws Exception {
        return new TokenRequest(uri("/oauth2/token"), new ClientSecretBasic(new ClientID(clientId), new Secret(secret)),
                // bob has an authenticator app (demo data): his grant needs his current code too
                "bob".equals(username) ? dev.ostiary.support.TokensClient.bobGrant()
                        : new ResourceOwnerPasswordCredentialsGrant(username, new Secret(password)),
                scope == null ? null : Scope.parse(scope)).toHTTPRequest().send();
    }

    private String errorOf(HTTPResponse response) throws Exception {
        return TokenErrorResponse.parse(response).getErrorObject().getCode();
    }

    private Tokens tokens(HTTPResponse response) throws Exception {
        TokenResponse parsed = TokenResponse.parse(response);
        assertThat(parsed.indicatesSuccess()).as(response.getBody()).isTrue();
        return parsed.toSuccessResponse().getTokens();
    }

    @Test
    void whenValidCredentialsThenUserTokenWithRolesAndRefreshToken() throws Exception {
        Tokens tokens = tokens(passwordGrant("trusted-app", "trusted-secret", "bob", "bob-pw", "read admin"));
        assertThat(tokens.getRefreshToken()).isNotNull();
        JWTClaimsSet claims = Jwks.verify(baseUrl(), tokens.getAccessToken().getValue());
        assertThat(claims.getSubject()).isEqualTo("bob");
        assertThat(claims.getStringClaim("client_id")).isEqualTo("trusted-app");
        assertThat(Scope.parse(claims.getStringClaim("scope"))).isEqualTo(Scope.parse("read admin"));
        assertThat(claims.getStringListClaim("roles")).containsExactly("ADMIN", "USER");
    }

    @Test
    void whenUserNameInOtherCaseThenSameUser() throws Exception {
        Tokens tokens = tokens(passwordGrant("trusted-app", "trusted-secret", "Alice", "alice-pw", "read"));
        assertThat(Jwks.verify(baseUrl(), tokens.getAccessToken().getValue()).getSubject()).isEqualTo("alice");
    }

    @Test
    void whenScopeBeyondUserRolesThenReducedToWhatRolesAllow() throws Exception {
        Tokens tokens = tokens(passwordGrant("trusted-app", "trusted-secret", "alice", "alice-pw", "read admin"));
        assertThat(tokens.getAccessToken().getScope()).isEqualTo(new Scope("read"));
        assertThat(Jwks.verify(baseUrl(), tokens.getAccessToken().getValue()).getStringClaim("scope"))
                .isEqualTo("read");
    }

    @Test
    void whenOnlyScopeBeyondUserRolesThenInvalidScope() throws Exception {
        HTTPResponse response = passwordGrant("trusted-app", "trusted-secret", "alice", "alice-pw", "admin");
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(errorOf(response)).isEqualTo("invalid_scope");
    }

    @Test
    void whenWrongPasswordThenInvalidGrant() throws Exception {
        String user = newUser("USER");
        HTTPResponse response = passwordGrant("trusted-app", "trusted-secret", user, "wrong-pw", "read");
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(errorOf(response)).isEqualTo("invalid_grant");
    }

    @Test
    void whenUnknownUserThenTheSameAnswerAsWrongPassword() throws Exception {
        String known = newUser("USER");
        HTTPResponse wrongPassword = passwordGrant("trusted-app", "trusted-secret", known, "wrong-pw", "read");
        HTTPResponse unknownUser = passwordGrant("trusted-app", "trusted-secret", "no-such-user-x", "pw", "read");
        assertThat(unknownUser.getStatusCode()).isEqualTo(wrongPassword.getStatusCode());
        assertThat(unknownUser.getBody()).isEqualTo(wrongPassword.getBody());
    }

    @Test
    void whenClientNotAllowedPasswordGrantThenUnauthorizedClient() throws Exception {
        HTTPResponse response = passwordGrant("svc-client", "svc-secret", "alice", "alice-pw", "read");
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(errorOf(response)).isEqualTo("unauthorized_client");
    }

    @Test
    void whenFiveFailuresThenAccountLockedForGrantAndLoginForm() throws Exception {
        String user = newUser("USER");
        for (int i = 0; i < 5; i++) {
            assertThat(errorOf(passwordGrant("trusted-app", "trusted-secret", user, "wrong-" + i, "read")))
                    .isEqualTo("invalid_grant");
        }
        HTTPResponse locked = passwordGrant("trusted-app", "trusted-secret", user, "password", "read");
        assertThat(errorOf(locked)).isEqualTo("invalid_grant");
        assertThat(TokenErrorResponse.parse(locked).getErrorObject().getDescription()).contains("locked");

        UserAgent browser = new UserAgent(baseUrl());
        String failedLogin = UserAgent.location(browser.login(user, "password"));
        assertThat(failedLogin).contains("/login?error");
        assertThat(browser.get(failedLogin).body()).contains("locked");
    }

    @Test
    void whenUnknownNameFailsFiveTimesThenItLooksLockedLikeARealOne() throws Exception {
        for (int i = 0; i < 5; i++) {
            passwordGrant("trusted-app", "trusted-secret", "ghost-user", "pw-" + i, "read");
        }
        HTTPResponse response = passwordGrant("trusted-app", "trusted-secret", "ghost-user", "pw", "read");
        assertThat(TokenErrorResponse.parse(response).getErrorObject().getDescription()).contains("locked");
    }

    @Test
    void whenRefreshTokenUsedThenRotated() throws Exception {
        Tokens first = tokens(passwordGrant("trusted-app", "trusted-secret", "alice", "alice-pw", "read"));
        Tokens second = tokens(refresh(first.getRefreshToken()));
        assertThat(second.getRefreshToken()).isNotNull();
        assertThat(second.getRefreshToken().getValue()).isNotEqualTo(first.getRefreshToken().getValue());
        assertThat(Jwks.verify(baseUrl(), second.getAccessToken().getValue()).getSubject()).isEqualTo("alice");
    }

    @Test
    void whenRotatedRefreshTokenReusedThenWholeFamilyRevoked() throws Exception {
        Tokens first = tokens(passwordGrant("trusted-app", "trusted-secret", "alice", "alice-pw", "read"));
        Tokens second = tokens(refresh(first.getRefreshToken()));
        assertThat(TokensClient.active(baseUrl(), second.getAccessToken())).isTrue();

        HTTPResponse reuse = refresh(first.getRefreshToken());
        assertThat(reuse.getStatusCode()).isEqualTo(400);
        assertThat(errorOf(reuse)).isEqualTo("invalid_grant");

        assertThat(errorOf(refresh(second.getRefreshToken()))).isEqualTo("invalid_grant");
        assertThat(TokensClient.active(baseUrl(), second.getAccessToken())).isFalse();
        Integer rows = jdbc.sql("select count(*) from oauth2_authorization where principal_name = 'alice'"
                + " and refresh_token_hash = sha256(convert_to(?, 'UTF8'))")
                .param(second.getRefreshToken().getValue()).query(Integer.class).single();
        assertThat(rows).isZero();
    }

    private HTTPResponse refresh(RefreshToken token) throws Exception {
        return new TokenRequest(URI.create(baseUrl() + "/oauth2/token"),
                new ClientSecretBasic(new ClientID("trusted-app"), new Secret("trusted-secret")),
                new RefreshTokenGrant(token)).toHTTPRequest().send();
    }
}
