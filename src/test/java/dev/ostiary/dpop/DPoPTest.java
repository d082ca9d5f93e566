package dev.ostiary.dpop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.dpop.DPoPProofFactory;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.Nonce;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.Pkce;
import dev.ostiary.support.SampleApi;
import dev.ostiary.support.ServerTest;
import dev.ostiary.support.UserAgent;

/** DPoP (RFC 9449) with server nonces, with the Nimbus SDK as the client and the sample API as the resource server. */
class DPoPTest extends ServerTest {

    private SampleApi api;
    private final HttpClient http = HttpClient.newHttpClient();
    private static final ClientAuthentication SVC = new ClientSecretBasic(new ClientID("svc-client"),
            new Secret("svc-secret"));

    @BeforeEach
    void startApi() {
        api = SampleApi.shared(baseUrl());
    }

    private static ECKey newKey() throws Exception {
        return new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
    }

    private HTTPResponse tokenRequest(ClientAuthentication client, AuthorizationGrant grant, DPoPProofFactory proofs,
            String nonce) throws Exception {
        URI endpoint = uri("/oauth2/token");
        boolean wantsRead = (grant instanceof ClientCredentialsGrant && client == SVC)
                || grant instanceof ResourceOwnerPasswordCredentialsGrant;
        HTTPRequest request = new TokenRequest(endpoint, client, grant, wantsRead ? new Scope("read") : null)
                .toHTTPRequest();
        if (proofs != null) {
            request.setDPoP(proofs.createDPoPJWT("POST", endpoint, nonce == null ? null : new Nonce(nonce)));
        }
        return request.send();
    }

    /** Asks once without a nonce, as a client that does not know one yet, then with the one it was given. */
    private Tokens dpopTokens(ClientAuthentication client, AuthorizationGrant grant, DPoPProofFactory proofs)
            throws Exception {
        HTTPResponse first = tokenRequest(client, grant, proofs, null);
        assertThat(first.getStatusCode()).isEqualTo(400);
        assertThat(TokenErrorResponse.parse(first).getErrorObject().getCode()).isEqualTo("use_dpop_nonce");
        String nonce = first.getHeaderValue("DPoP-Nonce");
        assertThat(nonce).isNotBlank();
        HTTPResponse second = tokenRequest(client, grant, proofs, nonce);
        assertThat(second.getStatusCode()).as(second.getBody()).isEqualTo(200);
        return TokenResponse.parse(second).toSuccessResponse().getTokens();
    }

    private HttpResponse<String> callApi(String scheme, AccessToken token, DPoPProofFactory proofs) throws Exception {
        URI target = URI.create(api.baseUrl() + "/api/doctors/1");
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .header("Authorization", scheme + " " + token.getValue());
        if (proofs != null) {
            request.header("DPoP", proofs.createDPoPJWT("GET", target, token).serialize());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void boundTokenWorksAtTheApiWithAProofOfTheSameKeyOnly() throws Exception {
        ECKey key = newKey();
        DPoPProofFactory proofs = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
        Tokens tokens = dpopTokens(SVC, new ClientCredentialsGrant(), proofs);
        AccessToken token = tokens.getAccessToken();
        assertThat(token).isInstanceOf(DPoPAccessToken.class);
        Map<String, Object> cnf = SignedJWT.parse(token.getValue()).getJWTClaimsSet().getJSONObjectClaim("cnf");
        assertThat(cnf).containsEntry("jkt", key.computeThumbprint().toString());

        assertThat(callApi("DPoP", token, proofs).statusCode()).isEqualTo(200);
        // stolen without the key: as a bearer token, or with a proof of the thief's own key
        HttpResponse<String> asBearer = callApi("Bearer", token, null);
        assertThat(asBearer.statusCode()).isEqualTo(401);
        assertThat(callApi("DPoP", token, new DefaultDPoPProofFactory(newKey(), JWSAlgorithm.ES256)).statusCode())
                .isEqualTo(401);
        assertThat(callApi("DPoP", token, null).statusCode()).isEqualTo(401);
    }

    @Test
    void replayedProofAndUnknownNonceAreRefused() throws Exception {
        ECKey key = newKey();
        DPoPProofFactory proofs = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);
        String nonce = tokenRequest(SVC, new ClientCredentialsGrant(), proofs, null).getHeaderValue("DPoP-Nonce");

        URI endpoint = uri("/oauth2/token");
        SignedJWT proof = proofs.createDPoPJWT("POST", endpoint, new Nonce(nonce));
        HTTPRequest first = new TokenRequest(endpoint, SVC, new ClientCredentialsGrant(), new Scope("read")).toHTTPRequest();
        first.setDPoP(proof);
        assertThat(first.send().getStatusCode()).isEqualTo(200);
        HTTPRequest replay = new TokenRequest(endpoint, SVC, new ClientCredentialsGrant(), new Scope("read")).toHTTPRequest();
        replay.setDPoP(proof);
        HTTPResponse replayed = replay.send();
        assertThat(replayed.getStatusCode()).isEqualTo(400);
        assertThat(TokenErrorResponse.parse(replayed).getErrorObject().getCode()).isEqualTo("invalid_dpop_proof");

        HTTPResponse madeUp = tokenRequest(SVC, new ClientCredentialsGrant(), proofs, "not-a-nonce-we-issued");
        assertThat(TokenErrorResponse.parse(madeUp).getErrorObject().getCode()).isEqualTo("use_dpop_nonce");
        assertThat(madeUp.getHeaderValue("DPoP-Nonce")).isNotBlank();
    }

    private static final ClientAuthentication DEMO_API = new ClientSecretBasic(new ClientID("demo-api"),
            new Secret("api-secret"));
    private static final Duration CACHE_NOTIFICATION = Duration.ofSeconds(10);

    private HTTPResponse bearerTokenRequest(ClientAuthentication client) throws Exception {
        return new TokenRequest(uri("/oauth2/token"), client, new ClientCredentialsGrant(), null).toHTTPRequest().send();
    }

    @Test
    void clientRegisteredAsDPoPOnlyCannotGetABearerToken() throws Exception {
        jdbc.sql("update client set require_dpop = true where client_id = 'demo-api'").update();
        try {
            // the client cache learns of the change by notification
            HTTPResponse response = await().atMost(CACHE_NOTIFICATION).pollInterval(Duration.ofMillis(50))
                    .until(() -> bearerTokenRequest(DEMO_API), r -> r.getStatusCode() == 400);
            assertThat(TokenErrorResponse.parse(response).getErrorObject().getCode()).isEqualTo("invalid_dpop_proof");
            DPoPProofFactory proofs = new DefaultDPoPProofFactory(newKey(), JWSAlgorithm.ES256);
            assertThat(dpopTokens(DEMO_API, new ClientCredentialsGrant(), proofs).getAccessToken())
                    .isInstanceOf(DPoPAccessToken.class);
        } finally {
            jdbc.sql("update client set require_dpop = false where client_id = 'demo-api'").update();
            // demo-api is shared with every other test on this context: leave only once it is back
            await().atMost(CACHE_NOTIFICATION).pollInterval(Duration.ofMillis(50))
                    .until(() -> bearerTokenRequest(DEMO_API).getStatusCode() == 200);
        }
    }

    @Test
    void passwordGrantTokensAreBoundToo() throws Exception {
        DPoPProofFactory proofs = new DefaultDPoPProofFactory(newKey(), JWSAlgorithm.ES256);
        Tokens tokens = dpopTokens(new ClientSecretBasic(new ClientID("trusted-app"), new Secret("trusted-secret")),
                new ResourceOwnerPasswordCredentialsGrant("alice", new Secret("alice-pw")), proofs);
        assertThat(tokens.getAccessToken()).isInstanceOf(DPoPAccessToken.class);
        assertThat(callApi("DPoP", tokens.getAccessToken(), proofs).statusCode()).isEqualTo(200);
        assertThat(callApi("Bearer", tokens.getAccessToken(), null).statusCode()).isEqualTo(401);
    }

    @Test
    void publicClientsRefreshTokensAreBoundToTheirKey() throws Exception {
        String clientId = dev.ostiary.support.TestClients.publicMobileApp(jdbc);
        UserAgent agent = new UserAgent(baseUrl());
        agent.login(newUser("USER"), "password");
        Pkce pkce = Pkce.s256();
        String redirect = UserAgent.location(agent.follow("/oauth2/authorize?response_type=code&client_id=" + clientId
                + "&redirect_uri=http://127.0.0.1:18999/mobile&scope=read&state=m" + pkce.query()));
        String code = UserAgent.parameters(redirect, false).get("code");
        DPoPProofFactory proofs = new DefaultDPoPProofFactory(newKey(), JWSAlgorithm.ES256);
        AuthorizationGrant grant = new AuthorizationCodeGrant(new AuthorizationCode(code),
                URI.create("http://127.0.0.1:18999/mobile"), pkce.verifier());
        URI endpoint = uri("/oauth2/token");
        HTTPRequest request = new TokenRequest(endpoint, new ClientID(clientId), grant).toHTTPRequest();
        String nonce = currentNonce();
        request.setDPoP(proofs.createDPoPJWT("POST", endpoint, new Nonce(nonce)));
        HTTPResponse issued = request.send();
        assertThat(issued.getStatusCode()).as(issued.getBody()).isEqualTo(200);
        Tokens tokens = TokenResponse.parse(issued).toSuccessResponse().getTokens();
        assertThat(tokens.getRefreshToken()).isNotNull();

        HTTPRequest otherKey = new TokenRequest(endpoint, new ClientID(clientId),
                new RefreshTokenGrant(tokens.getRefreshToken())).toHTTPRequest();
        otherKey.setDPoP(new DefaultDPoPProofFactory(newKey(), JWSAlgorithm.ES256)
                .createDPoPJWT("POST", endpoint, new Nonce(currentNonce())));
        HTTPResponse otherKeyResponse = otherKey.send();
        assertThat(otherKeyResponse.getStatusCode()).isEqualTo(400);
        assertThat(TokenErrorResponse.parse(otherKeyResponse).getErrorObject().getCode()).isEqualTo("invalid_dpop_proof");

        HTTPRequest sameKey = new TokenRequest(endpoint, new ClientID(clientId),
                new RefreshTokenGrant(tokens.getRefreshToken())).toHTTPRequest();
        sameKey.setDPoP(proofs.createDPoPJWT("POST", endpoint, new Nonce(currentNonce())));
        HTTPResponse refreshed = sameKey.send();
        assertThat(refreshed.getStatusCode()).as(refreshed.getBody()).isEqualTo(200);
        Tokens rotated = TokenResponse.parse(refreshed).toSuccessResponse().getTokens();
        assertThat(rotated.getAccessToken()).isInstanceOf(DPoPAccessToken.class);
        assertThat(rotated.getRefreshToken().getValue()).isNotEqualTo(tokens.getRefreshToken().getValue());

        // without a proof the public client cannot even authenticate
        HTTPResponse noProof = new TokenRequest(endpoint, new ClientID(clientId),
                new RefreshTokenGrant(rotated.getRefreshToken())).toHTTPRequest().send();
        assertThat(noProof.getStatusCode()).isEqualTo(401);
        assertThat(TokenErrorResponse.parse(noProof).getErrorObject().getCode()).isEqualTo("invalid_client");
    }

    /** Review L6: a proof is recorded as used (a PostgreSQL write) only once its signature verifies. */
    @Test
    void whenDPoPProofSignatureDoesNotVerifyThenItIsRefusedAndNoJtiIsRecorded() throws Exception {
        URI endpoint = uri("/oauth2/token");
        Nonce nonce = new Nonce(currentNonce());
        SignedJWT signed = new DefaultDPoPProofFactory(newKey(), JWSAlgorithm.ES256).createDPoPJWT("POST", endpoint, nonce);
        SignedJWT otherKey = new DefaultDPoPProofFactory(newKey(), JWSAlgorithm.ES256).createDPoPJWT("POST", endpoint, nonce);
        // the header (and jwk) of one key over the claims and signature of another
        String forged = otherKey.getHeader().toBase64URL() + "." + signed.getPayload().toBase64URL() + "."
                + signed.getSignature();
        long before = jdbc.sql("select count(*) from seen_jti").query(Long.class).single();
        for (int i = 0; i < 5; i++) {
            HTTPRequest request = new TokenRequest(endpoint, SVC, new ClientCredentialsGrant(), new Scope("read"))
                    .toHTTPRequest();
            request.setHeader("DPoP", forged);
            HTTPResponse response = request.send();
            assertThat(response.getStatusCode()).isEqualTo(400);
            assertThat(TokenErrorResponse.parse(response).getErrorObject().getCode()).isEqualTo("invalid_dpop_proof");
        }
        assertThat(jdbc.sql("select count(*) from seen_jti").query(Long.class).single()).isLessThanOrEqualTo(before);

        // the genuine proof is still unused, so it works once
        HTTPRequest genuine = new TokenRequest(endpoint, SVC, new ClientCredentialsGrant(), new Scope("read")).toHTTPRequest();
        genuine.setDPoP(signed);
        assertThat(genuine.send().getStatusCode()).isEqualTo(200);
    }

    private String currentNonce() throws Exception {
        return tokenRequest(SVC, new ClientCredentialsGrant(), null, null).getHeaderValue("DPoP-Nonce");
    }

}
