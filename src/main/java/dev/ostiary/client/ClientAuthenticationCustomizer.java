package dev.ostiary.client;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2ClientAuthenticationConfigurer;
import org.springframework.security.oauth2.server.authorization.authentication.ClientSecretAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.web.authentication.JwtClientAssertionAuthenticationConverter;

import dev.ostiary.abuse.SourceGuard;

/**
 * How Spring Authorization Server's {@code OAuth2ClientAuthenticationFilter} authenticates Ostiary's
 * clients (RFC 6749 §2.3, RFC 7523 §3), as changes to its defaults:
 * <ul>
 * <li>a public client may refresh a DPoP-bound refresh token ({@link PublicClientRefresh});</li>
 * <li>a malformed credential is {@code invalid_request}, never a 500 ({@link MalformedClientAuthentication}),
 * and a client assertion names its client by {@code sub} when {@code client_id} is absent (RFC 7521 §4.2)
 * ({@link AssertionClientIdResolution});</li>
 * <li>client secrets are checked against their peppered hashes ({@link ClientSecretHasher});</li>
 * <li>client assertions are verified with the client's own keys, once each ({@link ClientAssertionDecoders});</li>
 * <li>a failure is audited and counted against its source ({@link ClientAuthenticationFailureHandler}).</li>
 * </ul>
 */
public final class ClientAuthenticationCustomizer implements Customizer<OAuth2ClientAuthenticationConfigurer> {

    private final RegisteredClientRepository clients;
    private final ClientSecretHasher secrets;
    private final ClientAssertionDecoders assertionDecoders;
    private final ApplicationEventPublisher events;
    private final SourceGuard sources;

    public ClientAuthenticationCustomizer(RegisteredClientRepository clients, ClientSecretHasher secrets,
            ClientAssertionDecoders assertionDecoders, ApplicationEventPublisher events, SourceGuard sources) {
        this.clients = clients;
        this.secrets = secrets;
        this.assertionDecoders = assertionDecoders;
        this.events = events;
        this.sources = sources;
    }

    @Override
    public void customize(OAuth2ClientAuthenticationConfigurer clientAuthentication) {
        clientAuthentication
                .authenticationConverter(PublicClientRefresh.converter())
                .authenticationProvider(PublicClientRefresh.provider(clients))
                .authenticationConverters(converters -> converters.replaceAll(converter ->
                        new MalformedClientAuthentication(converter instanceof JwtClientAssertionAuthenticationConverter
                                ? new AssertionClientIdResolution(converter) : converter)))
                .authenticationProviders(providers -> providers.forEach(provider -> {
                    if (provider instanceof ClientSecretAuthenticationProvider secretCheck) {
                        secretCheck.setPasswordEncoder(secrets.asPasswordEncoder());
                    }
                    if (provider instanceof JwtClientAssertionAuthenticationProvider assertions) {
                        assertions.setJwtDecoderFactory(assertionDecoders);
                    }
                }))
                .errorResponseHandler(new ClientAuthenticationFailureHandler(events, sources));
    }
}
