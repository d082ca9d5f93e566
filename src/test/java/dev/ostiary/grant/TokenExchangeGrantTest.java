package dev.ostiary.grant;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.dpop.DPoPProofFactory;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.token.TypelessAccessToken;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import com.nimbusds.openid.connect.sdk.Nonce;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.ostiary.audit.AuditTrail;
import dev.ostiary.support.Jwks;
import dev.ostiary.support.ServerTest;
import dev.ostiary.support.TokensClient;

/**
 * Token exchange (RFC 8693) through the Nimbus SDK's {@link TokenExchangeGrant}: two gateways of the
 * test's own, registered through the admin API. Gateway A may exchange trusted-app's user tokens (and
 * impersonate); gateway B may exchange gateway A's tokens, delegation only.
 */
class TokenExchangeGrantTest extends ServerTest {

    private static final Pattern SECRET = Pattern.compile("\"clientSecret\":\"([^\"]+)\"");
    private static final String EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

    @Autowired
    AuditTrail trail;

    private final HttpClient http = HttpClient.newHttpClient();
    private String gatewayA;
    private String secretA;
    private String gatewayB;
    private String secretB;
    /** The user whose tokens are exchanged: one of the test's own, password only, so no TOTP step per token. */
    private String subjectUser;

    @BeforeEach
    void registerGateways() throws Exception {
        subjectUser = newUser("USER");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        gatewayA = "gw-a-" + suffix;
        gatewayB = "gw-b-" + suffix;
        secretA = register(gatewayA, "[\"read\",\"write\"]", "[\"trusted-app\"]", "[\"demo-api\",\"other-api\"]", true);
        secretB = register(gatewayB, "[\"read\"]", "[\"" + gatewayA + "\"]", "[\"demo-api\"]", false);
    }

    private String register(String clientId, String scopes, String subjectClients, String audiences,
            boolean impersonation) throws Exception {
        String json = """
                {"clientId":"%s","clientName":"%s","grantTypes":["client_credentials","%s"],
                 "authMethods":["client_secret_basic"],"scopes":%s,
                 "tokenExchange":{"subjectClients":%s,"audiences":%s,"impersonation":%s}}"""
                .formatted(clientId, clientId, EXCHANGE, scopes, subjectClients, audiences, impersonation);
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(uri("/admin/api/clients"))
                .header("Authorization", "Bearer " + TokensClient.adminToken(baseUrl()))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).contains("\"tokenExchange\":{\"subjectClients\":" + subjectClients);
        Matcher secret = SECRET.matcher(created.body());
        assertThat(secret.find()).isTrue();
        return secret.group(1);
    }

    private com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant subjectGrant() {
        return new com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant(subjectUser,
                new com.nimbusds.oauth2.sdk.auth.Secret("password"));
    }

    private AccessToken userToken(String scope) throws Exception {
        return TokensClient.request(baseUrl(), "trusted-app", "trusted-secret",
                subjectGrant(), Scope.parse(scope))
                .getAccessToken();
    }

    private AccessToken ownToken(String clientId, String secret) throws Exception {
        return new TypelessAccessToken(TokensClient.clientCredentials(baseUrl(), clientId, secret, "read"));
    }

    private static TokenExchangeGrant exchange(AccessToken subject, AccessToken actor, String... audiences) {
        return new TokenExchangeGrant(subject, TokenTypeURI.ACCESS_TOKEN, actor,
                actor == null ? null : TokenTypeURI.ACCESS_TOKEN, null,
                audiences.length == 0 ? null : List.of(audiences).stream().map(Audience::new).toList());
    }

    private HTTPResponse send(String clientId, String secret, AuthorizationGrant grant, String scope) throws Exception {
        return request(clientId, secret, grant, scope).send();
    }

    private HTTPRequest request(String clientId, String secret, AuthorizationGrant grant, String scope) {
        return new TokenRequest(uri("/oauth2/token"), new ClientSecretBasic(new ClientID(clientId), new Secret(secret)),
                grant, scope == null ? null : Scope.parse(scope)).toHTTPRequest();
    }

    private static AccessToken issued(HTTPResponse response) throws Exception {
        TokenResponse parsed = TokenResponse.parse(response);
        assertThat(parsed.indicatesSuccess()).as(response.getBody()).isTrue();
        assertThat(response.getBody()).contains("\"issued_token_type\":\"urn:ietf:params:oauth:token-type:access_token\"");
        return parsed.toSuccessResponse().getTokens().getAccessToken();
    }

    private static String errorOf(HTTPResponse response) throws Exception {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(400);
        return TokenErrorResponse.parse(response).getErrorObject().getCode();
    }

    @Test
    void whenImpersonatingThenTheSubjectsTokenForTheAudienceWithinItsScopeAndLifetime() throws Exception {
        AccessToken subject = userToken("read write");

        AccessToken exchanged = issued(send(gatewayA, secretA, exchange(subject, null, "demo-api"), "read"));

        JWTClaimsSet claims = Jwks.verify(baseUrl(), exchanged.getValue());
        JWTClaimsSet subjectClaims = Jwks.verify(baseUrl(), subject.getValue());
        assertThat(claims.getSubject()).isEqualTo(subjectUser);
        assertThat(claims.getStringClaim("client_id")).isEqualTo(gatewayA);
        assertThat(claims.getAudience()).containsExactly("demo-api");
        assertThat(claims.getStringClaim("scope")).isEqualTo("read");
        assertThat(claims.getClaim("act")).isNull();
        assertThat(claims.getExpirationTime()).isBeforeOrEqualTo(subjectClaims.getExpirationTime());
        assertThat(TokensClient.active(baseUrl(), exchanged)).isTrue();
    }

    @Test
    void whenAnotherAudienceOfThePolicyIsAskedForThenItIsTheTokensAud() throws Exception {
        AccessToken exchanged = issued(send(gatewayA, secretA, exchange(userToken("read"), null, "other-api"), null));

        assertThat(Jwks.verify(baseUrl(), exchanged.getValue()).getAudience()).containsExactly("other-api");
    }

    @Test
    void whenDelegatingTwiceThenActNamesTheLatestActorWithTheEarlierNestedInside() throws Exception {
        AccessToken subject = userToken("read write");
        AccessToken first = issued(send(gatewayA, secretA, exchange(subject, ownToken(gatewayA, secretA)), null));
        JWTClaimsSet firstClaims = Jwks.verify(baseUrl(), first.getValue());
        assertThat(firstClaims.getSubject()).isEqualTo(subjectUser);
        assertThat(firstClaims.getJSONObjectClaim("act")).containsEntry("sub", gatewayA).containsEntry("iss", baseUrl())
                .doesNotContainKey("act");

        AccessToken second = issued(send(gatewayB, secretB, exchange(first, ownToken(gatewayB, secretB)), null));

        JWTClaimsSet claims = Jwks.verify(baseUrl(), second.getValue());
        assertThat(claims.getSubject()).isEqualTo(subjectUser);
        assertThat(claims.getStringClaim("client_id")).isEqualTo(gatewayB);
        // RFC 8693 §4.1: the current actor outermost, the earlier one nested
        Map<String, Object> act = claims.getJSONObjectClaim("act");
        assertThat(act).containsEntry("sub", gatewayB);
        assertThat(act.get("act")).isEqualTo(Map.of("iss", baseUrl(), "sub", gatewayA));
        // gateway B has read only: the default is what both the subject token and the client have
        assertThat(claims.getStringClaim("scope")).isEqualTo("read");
        assertThat(claims.getAudience()).containsExactly("demo-api");
    }

    @Test
    void whenAskingForMoreScopeOrAnotherAudienceThenRefused() throws Exception {
        AccessToken subject = userToken("read");

        assertThat(errorOf(send(gatewayA, secretA, exchange(subject, null, "demo-api"), "read write")))
                .isEqualTo("invalid_scope");
        assertThat(errorOf(send(gatewayA, secretA, exchange(subject, null, "evil-api"), "read")))
                .isEqualTo("invalid_target");
        assertThat(errorOf(send(gatewayA, secretA, exchange(subject, null, "demo-api", "urn:ostiary:admin-api"), "read")))
                .isEqualTo("invalid_target");
    }

    @Test
    void whenTheSubjectTokenWasIssuedToAClientOutsideThePolicyThenInvalidGrant() throws Exception {
        AccessToken trustedAppToken = userToken("read");

        assertThat(errorOf(send(gatewayB, secretB, exchange(trustedAppToken, ownToken(gatewayB, secretB)), null)))
                .isEqualTo("invalid_grant");
        // a client_credentials token is no user's grant: refused, even for a client the policy lists
        assertThat(errorOf(send(gatewayB, secretB, exchange(ownToken(gatewayA, secretA), ownToken(gatewayB, secretB)),
                null))).isEqualTo("invalid_grant");
    }

    @Test
    void whenDelegationOnlyAndNoActorOrSomeoneElsesActorTokenThenRefused() throws Exception {
        AccessToken first = issued(send(gatewayA, secretA, exchange(userToken("read"), null), null));

        assertThat(errorOf(send(gatewayB, secretB, exchange(first, null), null))).isEqualTo("invalid_request");
        assertThat(errorOf(send(gatewayB, secretB, exchange(first, ownToken(gatewayA, secretA)), null)))
                .isEqualTo("invalid_grant");
    }

    @Test
    void whenTheClientLacksTheGrantThenUnauthorizedClient() throws Exception {
        assertThat(errorOf(send("svc-client", "svc-secret", exchange(userToken("read"), null, "demo-api"), null)))
                .isEqualTo("unauthorized_client");
    }

    @Test
    void whenTheSubjectTokenIsRevokedThenInvalidGrantAndTheRefusalIsAudited() throws Exception {
        AccessToken subject = userToken("read");
        assertThat(TokensClient.revoke(baseUrl(), "trusted-app", "trusted-secret", subject.getValue())).isEqualTo(200);

        assertThat(errorOf(send(gatewayA, secretA, exchange(subject, null, "demo-api"), null)))
                .isEqualTo("invalid_grant");

        trail.flushAll();
        assertThat(jdbc.sql("select details->>'error' from audit_event where type = 'token.exchange_refused'"
                + " and client_id = ?").param(gatewayA).query(String.class).list()).containsExactly("invalid_grant");
    }

    @Test
    void whenOtherThanAnAccessTokenIsRequestedThenInvalidRequest() throws Exception {
        TokenExchangeGrant refreshWanted = new TokenExchangeGrant(userToken("read"), TokenTypeURI.ACCESS_TOKEN, null,
                null, TokenTypeURI.REFRESH_TOKEN, null);

        assertThat(errorOf(send(gatewayA, secretA, refreshWanted, null))).isEqualTo("invalid_request");
    }

    @Test
    void whenExchangedThenTokenIssuedIsAuditedWithSubjectClientAndActor() throws Exception {
        issued(send(gatewayA, secretA, exchange(userToken("read"), ownToken(gatewayA, secretA)), null));

        trail.flushAll();
        List<String> events = jdbc.sql("select username || ' ' || (details->>'subjectClient') || ' '"
                + " || (details->>'actor') || ' ' || (details->>'exchange') from audit_event"
                + " where type = 'token.issued' and client_id = ? and details->>'grantType' = ?")
                .param(gatewayA).param(EXCHANGE).query(String.class).list();
        assertThat(events).containsExactly(subjectUser + " trusted-app " + gatewayA + " delegation");
    }

    @Test
    void whenTheRequestCarriesADPoPProofThenTheResultIsBoundToItsKey() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        DPoPProofFactory proofs = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);

        HTTPResponse response = withDPoP(gatewayA, secretA, exchange(userToken("read"), null, "demo-api"), proofs);

        AccessToken bound = issued(response);
        assertThat(bound).isInstanceOf(DPoPAccessToken.class);
        assertThat(Jwks.verify(baseUrl(), bound.getValue()).getJSONObjectClaim("cnf"))
                .containsEntry("jkt", key.computeThumbprint().toString());
    }

    @Test
    void whenTheSubjectTokenIsDPoPBoundThenOnlyAProofOfItsKeyExchangesIt() throws Exception {
        ECKey holder = new ECKeyGenerator(Curve.P_256).generate();
        DPoPProofFactory holderProofs = new DefaultDPoPProofFactory(holder, JWSAlgorithm.ES256);
        AccessToken subject = issuedBound(withDPoP("trusted-app", "trusted-secret",
                subjectGrant(), holderProofs));

        assertThat(errorOf(send(gatewayA, secretA, exchange(subject, null, "demo-api"), null)))
                .isEqualTo("invalid_grant");
        DPoPProofFactory otherProofs = new DefaultDPoPProofFactory(new ECKeyGenerator(Curve.P_256).generate(),
                JWSAlgorithm.ES256);
        assertThat(errorOf(withDPoP(gatewayA, secretA, exchange(subject, null, "demo-api"), otherProofs)))
                .isEqualTo("invalid_grant");
        AccessToken exchanged = issued(withDPoP(gatewayA, secretA, exchange(subject, null, "demo-api"), holderProofs));
        assertThat(Jwks.verify(baseUrl(), exchanged.getValue()).getJSONObjectClaim("cnf"))
                .containsEntry("jkt", holder.computeThumbprint().toString());
    }

    private static AccessToken issuedBound(HTTPResponse response) throws Exception {
        TokenResponse parsed = TokenResponse.parse(response);
        assertThat(parsed.indicatesSuccess()).as(response.getBody()).isTrue();
        return parsed.toSuccessResponse().getTokens().getAccessToken();
    }

    /** With a DPoP proof, and again with the server's nonce once it asks for one (RFC 9449 §8). */
    private HTTPResponse withDPoP(String clientId, String secret, AuthorizationGrant grant, DPoPProofFactory proofs)
            throws Exception {
        URI endpoint = uri("/oauth2/token");
        HTTPRequest first = request(clientId, secret, grant, null);
        first.setDPoP(proofs.createDPoPJWT("POST", endpoint));
        HTTPResponse response = first.send();
        String nonce = response.getHeaderValue("DPoP-Nonce");
        if (response.getStatusCode() != 400 || !response.getBody().contains("use_dpop_nonce")) {
            return response;
        }
        HTTPRequest second = request(clientId, secret, grant, null);
        second.setDPoP(proofs.createDPoPJWT("POST", endpoint, new Nonce(nonce)));
        return second.send();
    }
}
