package dev.ostiary.clustertest;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.Tokens;

/**
 * Token, introspection and admin API requests through the cluster's nginx, with the Nimbus SDK as the
 * client, each pinned to a node or balanced ({@link Cluster#ANY_NODE}).
 */
final class ClusterTokens {

    static final ClientSecretBasic SVC = new ClientSecretBasic(new ClientID("svc-client"), new Secret("svc-secret"));
    static final ClientSecretBasic TRUSTED = new ClientSecretBasic(new ClientID("trusted-app"),
            new Secret("trusted-secret"));
    static final ClientSecretBasic DEMO_API = new ClientSecretBasic(new ClientID("demo-api"), new Secret("api-secret"));

    private final Cluster cluster;

    ClusterTokens(Cluster cluster) {
        this.cluster = cluster;
    }

    HTTPResponse tokenRequest(ClientSecretBasic client, AuthorizationGrant grant, String scope, int node) {
        return cluster.send(new TokenRequest(cluster.uri("/oauth2/token"), client, grant,
                scope == null ? null : Scope.parse(scope)).toHTTPRequest(), node);
    }

    Tokens tokens(HTTPResponse response) {
        try {
            TokenResponse parsed = TokenResponse.parse(response);
            if (!parsed.indicatesSuccess()) {
                throw new AssertionError("Token request failed (" + response.getStatusCode() + ", node "
                        + cluster.nodeOf(response) + "): " + response.getBody());
            }
            return parsed.toSuccessResponse().getTokens();
        } catch (com.nimbusds.oauth2.sdk.ParseException e) {
            throw new AssertionError("Not a token response (" + response.getStatusCode() + "): " + response.getBody(), e);
        }
    }

    Tokens password(String username, String password, String scope, int node) {
        // bob has an authenticator app (demo data): his grant needs his current code too
        return tokens(tokenRequest(TRUSTED, "bob".equals(username) ? dev.ostiary.support.TokensClient.bobGrant()
                        : new ResourceOwnerPasswordCredentialsGrant(username, new Secret(password)),
                scope, node));
    }

    String clientCredentials(int node) {
        return tokens(tokenRequest(SVC, new ClientCredentialsGrant(), "read", node)).getAccessToken().getValue();
    }

    /** RFC 7662 introspection by the sample API's client, demo-api. */
    boolean active(String accessToken, int node) {
        HTTPResponse response = cluster.send(new TokenIntrospectionRequest(cluster.uri("/oauth2/introspect"), DEMO_API,
                new BearerAccessToken(accessToken)).toHTTPRequest(), node);
        try {
            TokenIntrospectionResponse parsed = TokenIntrospectionResponse.parse(response);
            if (!parsed.indicatesSuccess()) {
                throw new AssertionError("Introspection failed (" + response.getStatusCode() + "): " + response.getBody());
            }
            return parsed.toSuccessResponse().isActive();
        } catch (com.nimbusds.oauth2.sdk.ParseException e) {
            throw new AssertionError(response.getBody(), e);
        }
    }

    /** An admin API token: bob (role ADMIN) through trusted-app, scope ostiary:admin (docs/key-rotation.md). */
    String adminToken() {
        return password("bob", "bob-pw", "ostiary:admin", Cluster.ANY_NODE).getAccessToken().getValue();
    }

    HttpResponse<String> admin(String method, String path, String json, String adminToken, int node) {
        HttpRequest.Builder request = HttpRequest.newBuilder(cluster.uri(path))
                .header("Authorization", "Bearer " + adminToken)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return cluster.send(request, node);
    }

    /** A new user with role USER, made through the admin API. */
    void createUser(String adminToken, String username, String password) {
        HttpResponse<String> created = admin("POST", "/admin/api/users",
                "{\"username\":\"%s\",\"password\":\"%s\",\"roles\":[\"USER\"]}".formatted(username, password),
                adminToken, Cluster.ANY_NODE);
        if (created.statusCode() != 201) {
            throw new AssertionError("Could not create user " + username + ": " + created.statusCode() + " "
                    + created.body());
        }
    }

    /** Rotates the RS256 signing key now; returns the kid that signs from now on. */
    String rotate(String adminToken) {
        HttpResponse<String> rotated = admin("POST", "/admin/api/keys/rotate?algorithm=RS256", null, adminToken,
                Cluster.ANY_NODE);
        if (rotated.statusCode() / 100 != 2) {
            throw new AssertionError("Rotation failed: " + rotated.statusCode() + " " + rotated.body());
        }
        try {
            Map<String, Object> body = JSONObjectUtils.parse(rotated.body());
            Object kid = body.containsKey("kid") ? body.get("kid") : body.get("activeKid");
            if (kid == null) {
                throw new AssertionError("No kid in the rotation's answer: " + rotated.body());
            }
            return kid.toString();
        } catch (java.text.ParseException e) {
            throw new AssertionError(rotated.body(), e);
        }
    }

    /** The node's own JWKS, bypassing nginx. */
    String jwksOf(int node) {
        return cluster.send(HttpRequest.newBuilder(URI.create(cluster.nodeUrl(node) + "/oauth2/jwks")), Cluster.ANY_NODE)
                .body();
    }
}
