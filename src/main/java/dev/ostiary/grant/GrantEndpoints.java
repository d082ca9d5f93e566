package dev.ostiary.grant;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2DeviceAuthorizationEndpointConfigurer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2DeviceVerificationEndpointConfigurer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationEndpointConfigurer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2PushedAuthorizationRequestEndpointConfigurer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2TokenEndpointConfigurer;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * What the registered grants add to Spring Authorization Server's endpoints, collected from every
 * {@link GrantRegistration} and applied once per endpoint, in Spring's own terms: converters and
 * providers added ahead of Spring's, and edits of Spring's default providers ({@code Consumer<List<…>>},
 * which Spring keeps one of per endpoint, so the grants' edits are chained here).
 */
public final class GrantEndpoints {

    private final OAuth2TokenGenerator<? extends OAuth2Token> tokenGenerator;
    private final String consentPage;
    private final List<AuthenticationConverter> tokenRequestConverters = new ArrayList<>();
    private final List<AuthenticationProvider> tokenProviders = new ArrayList<>();
    private final List<Consumer<List<AuthenticationProvider>>> tokenProviderEdits = new ArrayList<>();
    private final List<AuthenticationConverter> authorizationRequestConverters = new ArrayList<>();
    private final List<AuthenticationProvider> authorizationProviders = new ArrayList<>();
    private final List<Consumer<List<AuthenticationProvider>>> authorizationProviderEdits = new ArrayList<>();
    private final List<Consumer<List<AuthenticationProvider>>> pushedAuthorizationProviderEdits = new ArrayList<>();
    private final List<AuthorizationResponseMode> responseModes = new ArrayList<>();
    private final List<ConsentedGrant> consentedGrants = new ArrayList<>();
    private final List<Customizer<OAuth2DeviceAuthorizationEndpointConfigurer>> deviceAuthorization = new ArrayList<>();
    private final List<Customizer<OAuth2DeviceVerificationEndpointConfigurer>> deviceVerification = new ArrayList<>();
    private final List<AuthenticationConverter> clientAuthenticationConverters = new ArrayList<>();
    private final List<AuthenticationProvider> clientAuthenticationProviders = new ArrayList<>();
    private final List<AuthenticationConverter> pushedAuthorizationRequestConverters = new ArrayList<>();

    GrantEndpoints(OAuth2TokenGenerator<? extends OAuth2Token> tokenGenerator, String consentPage) {
        this.tokenGenerator = tokenGenerator;
        this.consentPage = consentPage;
    }

    /** The token generator every grant issues with (the one Spring's own providers use). */
    public OAuth2TokenGenerator<? extends OAuth2Token> tokenGenerator() {
        return tokenGenerator;
    }

    /** Where the authorization endpoint sends a user who has to consent first. */
    public String consentPage() {
        return consentPage;
    }

    public GrantEndpoints tokenRequestConverter(AuthenticationConverter converter) {
        tokenRequestConverters.add(converter);
        return this;
    }

    public GrantEndpoints tokenProvider(AuthenticationProvider provider) {
        tokenProviders.add(provider);
        return this;
    }

    public GrantEndpoints editTokenProviders(Consumer<List<AuthenticationProvider>> edit) {
        tokenProviderEdits.add(edit);
        return this;
    }

    public GrantEndpoints authorizationRequestConverter(AuthenticationConverter converter) {
        authorizationRequestConverters.add(converter);
        return this;
    }

    public GrantEndpoints authorizationProvider(AuthenticationProvider provider) {
        authorizationProviders.add(provider);
        return this;
    }

    public GrantEndpoints editAuthorizationProviders(Consumer<List<AuthenticationProvider>> edit) {
        authorizationProviderEdits.add(edit);
        return this;
    }

    public GrantEndpoints editPushedAuthorizationProviders(Consumer<List<AuthenticationProvider>> edit) {
        pushedAuthorizationProviderEdits.add(edit);
        return this;
    }

    /** A converter for pushed authorization requests (RFC 9126 §2.1), ahead of Spring's. */
    public GrantEndpoints pushedAuthorizationRequestConverter(AuthenticationConverter converter) {
        pushedAuthorizationRequestConverters.add(converter);
        return this;
    }

    public GrantEndpoints authorizationResponses(AuthorizationResponseMode mode) {
        responseModes.add(mode);
        return this;
    }

    public GrantEndpoints consentedGrant(ConsentedGrant grant) {
        consentedGrants.add(grant);
        return this;
    }

    /**
     * Turns on Spring's device authorization endpoint (RFC 8628 §3.1), off unless a grant asks for it,
     * and configures it; Spring then turns on the device verification endpoint too.
     */
    public GrantEndpoints deviceAuthorizationEndpoint(Customizer<OAuth2DeviceAuthorizationEndpointConfigurer> customizer) {
        deviceAuthorization.add(customizer);
        return this;
    }

    /** Configures Spring's device verification endpoint (RFC 8628 §3.3), where the user enters the code. */
    public GrantEndpoints deviceVerificationEndpoint(Customizer<OAuth2DeviceVerificationEndpointConfigurer> customizer) {
        deviceVerification.add(customizer);
        return this;
    }

    /**
     * A way for clients to authenticate that a grant needs, ahead of Spring's (such as the device
     * flow's public clients, RFC 8628 §3.1, which Spring authenticates only for code exchanges).
     */
    public GrantEndpoints clientAuthentication(AuthenticationConverter converter, AuthenticationProvider provider) {
        clientAuthenticationConverters.add(converter);
        clientAuthenticationProviders.add(provider);
        return this;
    }

    /**
     * The endpoints no grant but the one that asks for them turns on (device authorization and
     * verification), and the client authentications grants add.
     */
    public void applyTo(OAuth2AuthorizationServerConfigurer server) {
        if (!clientAuthenticationConverters.isEmpty()) {
            server.clientAuthentication(clients -> {
                clientAuthenticationConverters.forEach(clients::authenticationConverter);
                clientAuthenticationProviders.forEach(clients::authenticationProvider);
            });
        }
        if (!deviceAuthorization.isEmpty()) {
            server.deviceAuthorizationEndpoint(device -> deviceAuthorization.forEach(c -> c.customize(device)));
        }
        if (!deviceVerification.isEmpty()) {
            server.deviceVerificationEndpoint(verification -> deviceVerification.forEach(c -> c.customize(verification)));
        }
    }

    /** The token endpoint: every grant's converters and providers, then their edits of Spring's providers. */
    public void applyTo(OAuth2TokenEndpointConfigurer token) {
        tokenRequestConverters.forEach(token::accessTokenRequestConverter);
        tokenProviders.forEach(token::authenticationProvider);
        token.authenticationProviders(providers -> tokenProviderEdits.forEach(edit -> edit.accept(providers)));
    }

    /**
     * The authorization endpoint: every grant's converters and providers, its edits of Spring's
     * providers, then {@code alsoEdit} (Spring keeps one edit per endpoint: this is the place for the
     * endpoint's own, such as the consent provider's).
     */
    public void applyTo(OAuth2AuthorizationEndpointConfigurer authorization,
            Consumer<List<AuthenticationProvider>> alsoEdit) {
        authorizationRequestConverters.forEach(authorization::authorizationRequestConverter);
        authorizationProviders.forEach(authorization::authenticationProvider);
        authorization.authenticationProviders(providers -> {
            authorizationProviderEdits.forEach(edit -> edit.accept(providers));
            alsoEdit.accept(providers);
        });
    }

    /** Pushed authorization requests (RFC 9126): the grants' edits of Spring's provider. */
    public void applyTo(OAuth2PushedAuthorizationRequestEndpointConfigurer pushed) {
        pushedAuthorizationRequestConverters.forEach(pushed::pushedAuthorizationRequestConverter);
        pushed.authenticationProviders(providers -> pushedAuthorizationProviderEdits.forEach(edit -> edit.accept(providers)));
    }

    /** The authorization endpoint's responses: each grant's own mode, then the code flow's. */
    public AuthorizationEndpointResponses authorizationEndpointResponses() {
        return new AuthorizationEndpointResponses(responseModes);
    }

    /** What the consent page's answer means for grants other than the code flow. */
    public List<ConsentedGrant> consentedGrants() {
        return List.copyOf(consentedGrants);
    }
}
