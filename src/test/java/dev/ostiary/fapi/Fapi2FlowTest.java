package dev.ostiary.fapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.dpop.DPoPProofFactory;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.Nonce;

import dev.ostiary.support.ServerTest;
import dev.ostiary.support.UserAgent;

/**
 * The FAPI 2.0 demo client {@code demo-fapi} (docs/fapi.md) end to end up to the token endpoint, Nimbus as
 * the client: PAR with private_key_jwt and a signed request object, PKCE S256, code with {@code iss}
 * (RFC 9207), then a DPoP-bound token (RFC 9449) and a bound refresh token. Without a proof, with a client
 * secret or as a public client, or without PAR or PKCE, it gets nothing.
 */
class Fapi2FlowTest extends ServerTest {

    private static final ClientID DEMO_FAPI = new ClientID("demo-fapi");
    private static final String CALLBACK = "http://127.0.0.1:18999/fapi-callback";

    private ECKey demoKey;
    private UserAgent agent;

    @BeforeEach
    void demoKeyAndSignedInUser() throws Exception {
        demoKey = ECKey.parse("""
                {"kty":"EC","crv":"P-256","kid":"demo-fapi-1","use":"sig","alg":"ES256",
                 "x":"d0d9sFFw8T0tW7ftE03npRr2hxzwLvdje5jai8PXIlk","y":"eEsTvLXdnvJoWjFanLmOzBEjuqitGIr8KILUsAkBidE",
                 "d":"fA87nhDabhXPGGlGV-G_caeIizGDErO8vESuS0rls-Y"}""");
        agent = new UserAgent(baseUrl());
        agent.login(newUser("USER"), "password");
    }

    /** A fresh client assertion each time: its jti is accepted once. */
    private PrivateKeyJWT assertion(String path) throws Exception {
        return new PrivateKeyJWT(DEMO_FAPI, uri(path), JWSAlgorithm.ES256, demoKey.toECPrivateKey(), "demo-fapi-1",
                null);
    }

    private SignedJWT requestObject(String state, CodeVerifier verifier) throws Exception {
        AuthorizationRequest.Builder inner = new AuthorizationRequest.Builder(ResponseType.CODE, DEMO_FAPI)
                .redirectionURI(URI.create(CALLBACK)).scope(new Scope("read")).state(new State(state));
        if (verifier != null) {
            inner.codeChallenge(verifier, CodeChallengeMethod.S256);
        }
        SignedJWT object = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("demo-fapi-1")
                .type(new JOSEObjectType("oauth-authz-req+jwt")).build(),
                new JWTClaimsSet.Builder(inner.build().toJWTClaimsSet()).issuer("demo-fapi").audience(baseUrl())
                        .expirationTime(new Date(System.currentTimeMillis() + 60_000))
                        .jwtID(UUID.randomUUID().toString()).build());
        object.sign(new ECDSASigner(demoKey));
        return object;
    }

    private PushedAuthorizationResponse push(SignedJWT object) throws Exception {
        return PushedAuthorizationResponse.parse(new PushedAuthorizationRequest(uri("/oauth2/par"),
                assertion("/oauth2/par"), new AuthorizationRequest.Builder(object, DEMO_FAPI)
                        .responseType(ResponseType.CODE).build()).toHTTPRequest().send());
    }

    /** PAR, the authorization endpoint with the request_uri, consent: the redirect's parameters. */
    private Map<String, String> authorizationResponse(String state, CodeVerifier verifier) throws Exception {
        PushedAuthorizationResponse pushed = push(requestObject(state, verifier));
        assertThat(pushed.indicatesSuccess()).as("PAR push").isTrue();
        HttpResponse<String> consentPage = agent.follow("/oauth2/authorize?client_id=demo-fapi&request_uri="
                + URLEncoder.encode(pushed.toSuccessResponse().getRequestURI().toString(), StandardCharsets.UTF_8));
        assertThat(consentPage.statusCode()).as("consent page").isEqualTo(200);
        String location = UserAgent.location(agent.answerConsent(consentPage.body(), "demo-fapi", List.of("read")));
        assertThat(location).startsWith(CALLBACK);
        return UserAgent.parameters(location, false);
    }

    private AuthorizationCodeGrant codeGrant(String state, CodeVerifier verifier) throws Exception {
        Map<String, String> answer = authorizationResponse(state, verifier);
        assertThat(answer).containsKey("code").containsEntry("state", state)
                .containsEntry("iss", baseUrl()); // RFC 9207 §2
        return new AuthorizationCodeGrant(new AuthorizationCode(answer.get("code")), URI.create(CALLBACK), verifier);
    }

    private HTTPResponse token(ClientAuthentication client, AuthorizationGrant grant, DPoPProofFactory proofs,
            String nonce) throws Exception {
        URI endpoint = uri("/oauth2/token");
        HTTPRequest request = (client == null ? new TokenRequest(endpoint, DEMO_FAPI, grant)
                : new TokenRequest(endpoint, client, grant)).toHTTPRequest();
        if (proofs != null) {
            request.setDPoP(proofs.createDPoPJWT("POST", endpoint, nonce == null ? null : new Nonce(nonce)));
        }
        return request.send();
    }

    /** With private_key_jwt and a proof; when the server demands a nonce (RFC 9449 §8), again with it. */
    private HTTPResponse dpopToken(AuthorizationGrant grant, DPoPProofFactory proofs, String nonce) throws Exception {
        HTTPResponse response = token(assertion("/oauth2/token"), grant, proofs, nonce);
        if (response.getStatusCode() == 400 && response.getHeaderValue("DPoP-Nonce") != null
                && "use_dpop_nonce".equals(TokenErrorResponse.parse(response).getErrorObject().getCode())) {
            response = token(assertion("/oauth2/token"), grant, proofs, response.getHeaderValue("DPoP-Nonce"));
        }
        return response;
    }

    private static String error(HTTPResponse response) throws Exception {
        assertThat(response.indicatesSuccess()).as("refused: " + response.getBody()).isFalse();
        return TokenErrorResponse.parse(response).getErrorObject().getCode();
    }

    @Test
    void whenFullFapiFlowWithDPoPThenBoundAccessAndRefreshTokens() throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        ECKey proofKey = new ECKeyGenerator(Curve.P_256).generate();
        DPoPProofFactory proofs = new DefaultDPoPProofFactory(proofKey, JWSAlgorithm.ES256);

        AuthorizationCodeGrant grant = codeGrant("full", verifier);
        HTTPResponse withoutNonce = token(assertion("/oauth2/token"), grant, proofs, null);
        assertThat(error(withoutNonce)).as("RFC 9449 §8").isEqualTo("use_dpop_nonce");
        assertThat(withoutNonce.getHeaderValue("DPoP-Nonce")).isNotBlank();

        HTTPResponse response = token(assertion("/oauth2/token"), grant, proofs,
                withoutNonce.getHeaderValue("DPoP-Nonce"));

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        assertThat(response.getBodyAsJSONObject()).containsEntry("token_type", "DPoP");
        Tokens tokens = TokenResponse.parse(response).toSuccessResponse().getTokens();
        assertThat(tokens.getAccessToken()).isInstanceOf(DPoPAccessToken.class);
        Map<String, Object> cnf = SignedJWT.parse(tokens.getAccessToken().getValue()).getJWTClaimsSet()
                .getJSONObjectClaim("cnf");
        assertThat(cnf).containsEntry("jkt", proofKey.computeThumbprint().toString());

        RefreshToken refreshToken = tokens.getRefreshToken();
        assertThat(refreshToken).as("demo-fapi has the refresh_token grant").isNotNull();
        String nonce = response.getHeaderValue("DPoP-Nonce");
        RefreshTokenGrant refresh = new RefreshTokenGrant(refreshToken);

        assertThat(error(token(assertion("/oauth2/token"), refresh, null, null))).as("refresh without a proof")
                .isEqualTo("invalid_dpop_proof");
        HTTPResponse refreshed = dpopToken(refresh, proofs, nonce);
        assertThat(refreshed.getStatusCode()).as(refreshed.getBody()).isEqualTo(200);
        Tokens renewed = TokenResponse.parse(refreshed).toSuccessResponse().getTokens();
        assertThat(SignedJWT.parse(renewed.getAccessToken().getValue()).getJWTClaimsSet().getJSONObjectClaim("cnf"))
                .containsEntry("jkt", proofKey.computeThumbprint().toString());
    }

    @Test
    void whenTokenRequestWithoutDPoPProofThenRefusedAndNoToken() throws Exception {
        CodeVerifier verifier = new CodeVerifier();

        HTTPResponse response = token(assertion("/oauth2/token"), codeGrant("no-proof", verifier), null, null);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("invalid_dpop_proof");
        assertThat(response.getBody()).doesNotContain("access_token");
    }

    @Test
    void whenTokenRequestWithAnotherCodeVerifierThenInvalidGrant() throws Exception {
        AuthorizationCodeGrant issued = codeGrant("pkce", new CodeVerifier());
        AuthorizationCodeGrant wrongVerifier = new AuthorizationCodeGrant(issued.getAuthorizationCode(),
                URI.create(CALLBACK), new CodeVerifier());
        DPoPProofFactory proofs = new DefaultDPoPProofFactory(new ECKeyGenerator(Curve.P_256).generate(),
                JWSAlgorithm.ES256);

        assertThat(error(dpopToken(wrongVerifier, proofs, null))).isEqualTo("invalid_grant");
    }

    @Test
    void whenDemoFapiAuthenticatesWithASecretOrAsPublicClientThenInvalidClient() throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        AuthorizationCodeGrant grant = codeGrant("secret", verifier);
        DPoPProofFactory proofs = new DefaultDPoPProofFactory(new ECKeyGenerator(Curve.P_256).generate(),
                JWSAlgorithm.ES256);
        List<ClientAuthentication> wrong = List.of(new ClientSecretBasic(DEMO_FAPI, new Secret("web-secret")),
                new ClientSecretPost(DEMO_FAPI, new Secret("web-secret")));
        for (ClientAuthentication client : wrong) {
            HTTPResponse response = token(client, grant, proofs, null);
            assertThat(response.getStatusCode()).as(client.getMethod().getValue()).isEqualTo(401);
            assertThat(error(response)).as(client.getMethod().getValue()).isEqualTo("invalid_client");
        }
        HTTPResponse asPublicClient = token(null, grant, proofs, null);
        assertThat(asPublicClient.getStatusCode()).as("none").isEqualTo(401);
        assertThat(error(asPublicClient)).as("none").isEqualTo("invalid_client");

        // the code was good all along: private_key_jwt redeems it
        assertThat(dpopToken(grant, proofs, null).getStatusCode()).isEqualTo(200);
    }

    @Test
    void whenPlainAuthorizationRequestWithoutParThenInvalidRequest() throws Exception {
        HttpResponse<String> response = agent.follow("/oauth2/authorize?response_type=code&client_id=demo-fapi"
                + "&redirect_uri=" + CALLBACK + "&scope=read&state=plain&code_challenge_method=S256&code_challenge="
                + new CodeVerifier().getValue().substring(0, 43));

        // RFC 9126 §5: the redirect URI is demo-fapi's registered one, so the error goes there (docs/par-jar.md)
        assertThat(UserAgent.location(response)).startsWith(CALLBACK);
        assertThat(UserAgent.parameters(UserAgent.location(response), false))
                .containsEntry("error", "invalid_request").containsEntry("state", "plain").doesNotContainKey("code");
    }

    @Test
    void whenPushedWithoutPkceThenInvalidRequest() throws Exception {
        PushedAuthorizationResponse response = push(requestObject("no-pkce", null));

        assertThat(response.indicatesSuccess()).isFalse();
        assertThat(response.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_request");
    }
}
