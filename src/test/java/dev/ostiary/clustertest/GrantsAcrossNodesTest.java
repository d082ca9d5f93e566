package dev.ostiary.clustertest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.dpop.DPoPProofFactory;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.Nonce;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The grants through nginx's public https URL, each step of a flow on another node (pinned), with the
 * Nimbus SDK as the client: what one node issued, another redeems, introspects or accepts.
 */
@Tag("cluster")
@Order(10)
class GrantsAcrossNodesTest {

    private static Cluster cluster;
    private static ClusterTokens tokens;

    @BeforeAll
    static void cluster() {
        cluster = Cluster.shared();
        tokens = new ClusterTokens(cluster);
    }

    @Test
    void everyNodeAdvertisesThePublicHttpsIssuer() throws Exception {
        for (int node = 1; node <= Cluster.NODES; node++) {
            HttpResponse<String> metadata = cluster.send(HttpRequest.newBuilder(
                    cluster.uri("/.well-known/oauth-authorization-server")), node);
            assertThat(metadata.statusCode()).isEqualTo(200);
            assertThat(cluster.nodeOf(metadata)).as("answered by the pinned node").isEqualTo(node);
            Map<String, Object> document = JSONObjectUtils.parse(metadata.body());
            assertThat(document.get("issuer")).isEqualTo(cluster.issuer());
            assertThat(document.get("token_endpoint")).isEqualTo(cluster.issuer() + "/oauth2/token");
            assertThat(document.get("jwks_uri")).isEqualTo(cluster.issuer() + "/oauth2/jwks");
        }
    }

    @Test
    void passwordGrantOnOneNodeRefreshOnAnotherIntrospectionOnTheThirdReuseRefusedOnAny() throws Exception {
        HTTPResponse issued = tokens.tokenRequest(ClusterTokens.TRUSTED,
                new com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant("alice",
                        new com.nimbusds.oauth2.sdk.auth.Secret("alice-pw")), "read", 1);
        assertThat(cluster.nodeOf(issued)).isEqualTo(1);
        Tokens first = tokens.tokens(issued);
        assertThat(SignedJWT.parse(first.getAccessToken().getValue()).getJWTClaimsSet().getIssuer())
                .isEqualTo(cluster.issuer());
        assertThat(first.getRefreshToken()).isNotNull();

        HTTPResponse refreshed = tokens.tokenRequest(ClusterTokens.TRUSTED, new RefreshTokenGrant(first.getRefreshToken()),
                null, 2);
        assertThat(cluster.nodeOf(refreshed)).isEqualTo(2);
        Tokens second = tokens.tokens(refreshed);
        // rotation: a new refresh token, the old one spent
        assertThat(second.getRefreshToken()).isNotNull().isNotEqualTo(first.getRefreshToken());

        assertThat(tokens.active(second.getAccessToken().getValue(), 3)).isTrue();

        // the spent refresh token, replayed on the node that issued it: a reuse, decided in PostgreSQL
        HTTPResponse replayed = tokens.tokenRequest(ClusterTokens.TRUSTED, new RefreshTokenGrant(first.getRefreshToken()),
                null, 1);
        assertThat(replayed.getStatusCode()).isEqualTo(400);
        assertThat(TokenErrorResponse.parse(replayed).getErrorObject().getCode()).isEqualTo("invalid_grant");
        // a reuse revokes the family (docs/architecture.md), whichever node learns of it
        HTTPResponse afterReuse = tokens.tokenRequest(ClusterTokens.TRUSTED,
                new RefreshTokenGrant(second.getRefreshToken()), null, 3);
        assertThat(afterReuse.getStatusCode()).isEqualTo(400);
        assertThat(tokens.active(second.getAccessToken().getValue(), 2)).isFalse();
    }

    @Test
    void clientCredentialsFromEveryNodeIntrospectOnTheNextAndVerifyAtTheSampleApi() throws Exception {
        for (int node = 1; node <= Cluster.NODES; node++) {
            HTTPResponse response = tokens.tokenRequest(ClusterTokens.SVC, new ClientCredentialsGrant(), "read", node);
            assertThat(cluster.nodeOf(response)).isEqualTo(node);
            String token = tokens.tokens(response).getAccessToken().getValue();
            assertThat(tokens.active(token, node % Cluster.NODES + 1)).isTrue();
            HttpResponse<String> api = cluster.send(HttpRequest.newBuilder(URI.create(cluster.sampleApiUrl()
                    + "/api/doctors/1")).header("Authorization", "Bearer " + token), Cluster.ANY_NODE);
            assertThat(api.statusCode()).as(api.body()).isEqualTo(200);
        }
    }

    private HTTPResponse dpopRequest(SignedJWT proof, int node) {
        HTTPRequest request = new TokenRequest(cluster.uri("/oauth2/token"), ClusterTokens.SVC,
                new ClientCredentialsGrant(), new Scope("read")).toHTTPRequest();
        request.setDPoP(proof);
        return cluster.send(request, node);
    }

    @Test
    void dpopNonceIssuedByOneNodeIsAcceptedByAnotherAndTheBoundTokenWorksAtTheApi() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
        DPoPProofFactory proofs = new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256);

        URI endpoint = cluster.uri("/oauth2/token");
        HTTPResponse first = dpopRequest(proofs.createDPoPJWT("POST", endpoint), 1);
        assertThat(cluster.nodeOf(first)).isEqualTo(1);
        assertThat(first.getStatusCode()).isEqualTo(400);
        assertThat(TokenErrorResponse.parse(first).getErrorObject().getCode()).isEqualTo("use_dpop_nonce");
        String nonce = first.getHeaderValue("DPoP-Nonce");
        assertThat(nonce).isNotBlank();

        SignedJWT proof = proofs.createDPoPJWT("POST", endpoint, new Nonce(nonce));
        HTTPResponse second = dpopRequest(proof, 2);
        assertThat(cluster.nodeOf(second)).isEqualTo(2);
        assertThat(second.getStatusCode()).as(second.getBody()).isEqualTo(200);
        AccessToken token = tokens.tokens(second).getAccessToken();
        assertThat(token).isInstanceOf(DPoPAccessToken.class);
        assertThat(SignedJWT.parse(token.getValue()).getJWTClaimsSet().getJSONObjectClaim("cnf"))
                .containsEntry("jkt", key.computeThumbprint().toString());

        // the proof's jti is single use across the cluster (replay/ in PostgreSQL): the same proof on node 3
        HTTPResponse replayed = dpopRequest(proof, 3);
        assertThat(cluster.nodeOf(replayed)).isEqualTo(3);
        assertThat(replayed.getStatusCode()).isEqualTo(400);
        assertThat(TokenErrorResponse.parse(replayed).getErrorObject().getCode()).isEqualTo("invalid_dpop_proof");
        // a fresh proof with the same nonce is fine there
        assertThat(dpopRequest(proofs.createDPoPJWT("POST", endpoint, new Nonce(nonce)), 3).getStatusCode())
                .isEqualTo(200);

        URI api = URI.create(cluster.sampleApiUrl() + "/api/doctors/1");
        HttpResponse<String> bound = cluster.send(HttpRequest.newBuilder(api)
                .header("Authorization", "DPoP " + token.getValue())
                .header("DPoP", proofs.createDPoPJWT("GET", api, token).serialize()), Cluster.ANY_NODE);
        assertThat(bound.statusCode()).as(bound.body()).isEqualTo(200);
        HttpResponse<String> asBearer = cluster.send(HttpRequest.newBuilder(api)
                .header("Authorization", "Bearer " + token.getValue()), Cluster.ANY_NODE);
        assertThat(asBearer.statusCode()).isEqualTo(401);
    }
}
