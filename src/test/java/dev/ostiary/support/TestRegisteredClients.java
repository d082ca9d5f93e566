package dev.ostiary.support;

import java.util.UUID;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

import dev.ostiary.client.Client;

/**
 * Client fixtures for unit tests, in the style of Spring Authorization Server's
 * {@code TestRegisteredClients}: each returns a builder, so a test states only what it changes.
 */
public final class TestRegisteredClients {

    public static final String REDIRECT_URI = "https://client.example.com/callback";
    public static final String LOOPBACK_REDIRECT_URI = "http://127.0.0.1:8400/callback";

    private TestRegisteredClients() {
    }

    /** A confidential web client: client_secret_basic, the code flow with refresh tokens, PKCE required. */
    public static RegisteredClient.Builder registeredClient() {
        return RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId("client-1")
                .clientSecret("{noop}secret")
                .clientName("Client 1")
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                .redirectUri(REDIRECT_URI)
                .redirectUri(LOOPBACK_REDIRECT_URI)
                .scope("read")
                .scope("write")
                .clientSettings(ClientSettings.builder().requireProofKey(true).build());
    }

    /** A public native client: no secret, the code flow, a loopback redirect URI (RFC 8252 §7.3). */
    public static RegisteredClient.Builder publicClient() {
        return RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId("public-1")
                .clientName("Public 1")
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri(LOOPBACK_REDIRECT_URI)
                .scope("read")
                .clientSettings(ClientSettings.builder().requireProofKey(true).build());
    }

    /** A service client: client_secret_basic and client_credentials only. */
    public static RegisteredClient.Builder serviceClient() {
        return RegisteredClient.withId(UUID.randomUUID().toString())
                .clientId("service-1")
                .clientSecret("{noop}secret")
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scope("read");
    }

    /** Our own client row as an administrator would create it: a confidential web client. */
    public static Client client() {
        return new Client("client-1", "Client 1")
                .setAuthMethods(java.util.Set.of("client_secret_basic"))
                .setGrantTypes(java.util.Set.of("authorization_code", "refresh_token"))
                .setRedirectUris(java.util.List.of(REDIRECT_URI))
                .setScopes(java.util.Set.of("read", "write"));
    }
}
