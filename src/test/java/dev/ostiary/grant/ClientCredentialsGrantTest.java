package dev.ostiary.grant;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.ServerTest;

/** client_credentials through an independent client library (Nimbus OAuth 2.0 SDK). */
class ClientCredentialsGrantTest extends ServerTest {

    private AuthorizationServerMetadata metadata() throws Exception {
        return AuthorizationServerMetadata.resolve(new Issuer(baseUrl()));
    }

    private HTTPResponse tokenRequest(ClientAuthentication auth, Scope scope) throws Exception {
        return new TokenRequest(metadata().getTokenEndpointURI(), auth, new ClientCredentialsGrant(), scope)
                .toHTTPRequest().send();
    }

    @Test
    void whenClientSecretBasicThenTokenVerifiesAgainstJwksWithRfc9068Claims() throws Exception {
        HTTPResponse http = tokenRequest(new ClientSecretBasic(new ClientID("svc-client"), new Secret("svc-secret")),
                new Scope("read"));
        assertThat(http.getStatusCode()).isEqualTo(200);
        assertThat(http.getHeaderValue("Cache-Control")).contains("no-store");
        TokenResponse response = TokenResponse.parse(http);
        assertThat(response.indicatesSuccess()).isTrue();
        AccessToken token = response.toSuccessResponse().getTokens().getAccessToken();
        assertThat(token.getScope()).isEqualTo(new Scope("read"));

        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                JWKSourceBuilder.create(metadata().getJWKSetURI().toURL()).build()));
        JWTClaimsSet claims = processor.process(token.getValue(), null);

        SignedJWT jwt = SignedJWT.parse(token.getValue());
        assertThat(jwt.getHeader().getKeyID()).isNotBlank();
        assertThat(claims.getIssuer()).isEqualTo(baseUrl());
        assertThat(claims.getSubject()).isEqualTo("svc-client");
        assertThat(claims.getStringClaim("client_id")).isEqualTo("svc-client");
        assertThat(claims.getStringClaim("scope")).isEqualTo("read");
        assertThat(claims.getStringListClaim("roles")).containsExactly("USER");
        assertThat(claims.getAudience()).containsExactly("demo-api");
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getIssueTime()).isNotNull();
        assertThat(claims.getExpirationTime()).isAfter(claims.getIssueTime());
    }

    /**
     * The token endpoint is stateless: a session per request kept 30 minutes filled the heap and cut
     * throughput to a few requests a second (issue 13's session registration on this chain).
     */
    @Test
    void whenTokensAreIssuedOrRefusedThenNoSessionCookieIsSet() throws Exception {
        HTTPResponse issued = tokenRequest(new ClientSecretBasic(new ClientID("svc-client"), new Secret("svc-secret")),
                new Scope("read"));
        HTTPResponse refused = tokenRequest(new ClientSecretBasic(new ClientID("svc-client"), new Secret("wrong")),
                null);
        assertThat(issued.getStatusCode()).isEqualTo(200);
        assertThat(refused.getStatusCode()).isEqualTo(401);
        assertThat(issued.getHeaderMap().keySet()).noneMatch(name -> name.equalsIgnoreCase("Set-Cookie"));
        assertThat(refused.getHeaderMap().keySet()).noneMatch(name -> name.equalsIgnoreCase("Set-Cookie"));
    }

    @Test
    void whenClientSecretPostWithoutScopeThenAllRegisteredScopesGranted() throws Exception {
        HTTPResponse http = tokenRequest(new ClientSecretPost(new ClientID("svc-client"), new Secret("svc-secret")),
                null);
        TokenResponse response = TokenResponse.parse(http);
        assertThat(response.indicatesSuccess()).isTrue();
        assertThat(response.toSuccessResponse().getTokens().getAccessToken().getScope())
                .isEqualTo(new Scope("read", "write"));
    }

    @Test
    void whenWrongSecretThenInvalidClientWithBasicChallenge() throws Exception {
        HTTPResponse http = tokenRequest(new ClientSecretBasic(new ClientID("svc-client"), new Secret("wrong")), null);
        assertThat(http.getStatusCode()).isEqualTo(401);
        assertThat(TokenErrorResponse.parse(http).getErrorObject().getCode()).isEqualTo("invalid_client");
        assertThat(http.getHeaderValue("WWW-Authenticate")).startsWith("Basic");
    }

    @Test
    void whenScopeNotRegisteredThenInvalidScope() throws Exception {
        HTTPResponse http = tokenRequest(new ClientSecretBasic(new ClientID("svc-client"), new Secret("svc-secret")),
                new Scope("admin"));
        assertThat(http.getStatusCode()).isEqualTo(400);
        assertThat(TokenErrorResponse.parse(http).getErrorObject().getCode()).isEqualTo("invalid_scope");
    }

    @Test
    void whenClientLacksGrantThenUnauthorizedClient() throws Exception {
        HTTPResponse http = tokenRequest(new ClientSecretBasic(new ClientID("trusted-app"),
                new Secret("trusted-secret")), null);
        assertThat(http.getStatusCode()).isEqualTo(400);
        assertThat(TokenErrorResponse.parse(http).getErrorObject().getCode()).isEqualTo("unauthorized_client");
    }

    @Test
    void whenDiscoveryIsReadThenItListsEveryEndpointGrantAndClientAuthenticationMethod() throws Exception {
        AuthorizationServerMetadata metadata = metadata();
        assertThat(metadata.getIssuer().getValue()).isEqualTo(baseUrl());
        assertThat(metadata.getTokenEndpointURI()).isEqualTo(uri("/oauth2/token"));
        assertThat(metadata.getAuthorizationEndpointURI()).isEqualTo(uri("/oauth2/authorize"));
        assertThat(metadata.getJWKSetURI()).isEqualTo(uri("/oauth2/jwks"));
        assertThat(metadata.getIntrospectionEndpointURI()).isEqualTo(uri("/oauth2/introspect"));
        assertThat(metadata.getRevocationEndpointURI()).isEqualTo(uri("/oauth2/revoke"));
        assertThat(metadata.getRegistrationEndpointURI()).isEqualTo(uri("/oauth2/register"));
        assertThat(metadata.getGrantTypes()).extracting(g -> g.getValue()).containsExactlyInAnyOrder(
                "authorization_code", "client_credentials", "refresh_token", "password", "implicit",
                // registered by grant/tokenexchange (Spring lists it; Grants.advertise keeps only registered ones)
                "urn:ietf:params:oauth:grant-type:token-exchange",
                // RFC 8628, per client (grant/devicecode)
                "urn:ietf:params:oauth:grant-type:device_code");
        assertThat(metadata.getDeviceAuthorizationEndpointURI()).isEqualTo(uri("/oauth2/device_authorization"));
        assertThat(metadata.getTokenEndpointAuthMethods()).extracting(m -> m.getValue()).containsExactlyInAnyOrder(
                "client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none");
        // RFC 9207
        assertThat(metadata.supportsAuthorizationResponseIssuerParam()).isTrue();
    }
}
