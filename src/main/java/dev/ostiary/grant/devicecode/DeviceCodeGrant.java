package dev.ostiary.grant.devicecode;

import java.time.Clock;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceAuthorizationConsentAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceAuthorizationRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceCodeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceVerificationAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2DeviceVerificationAuthenticationConverter;

import dev.ostiary.abuse.FailureCounters;
import dev.ostiary.grant.GrantRegistration;
import dev.ostiary.grant.resourceowner.ResourceOwnerScopes;
import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.web.EndpointMatchers;

/**
 * The device authorization grant (RFC 8628), Spring's endpoints turned on deliberately, per client
 * (a client must be registered with the grant), with Ostiary's rules:
 * <ul>
 * <li>public clients may use it ({@link DevicePublicClients}): the RFC's typical device keeps no secret;</li>
 * <li>device codes of 256 bits ({@link DeviceCodes}), user codes easy to type ({@link UserCodes}),
 * both stored as digests;</li>
 * <li>the token endpoint answers {@code slow_down}, {@code unauthorized_client} and reuse as the RFC
 * says ({@link DeviceCodeTokenRequests}, {@link DevicePolls});</li>
 * <li>the user enters the code on {@value #ACTIVATION_PAGE} ({@link ActivationController}), signs in,
 * and always answers a consent page: a user code arrives from elsewhere, so an earlier consent never
 * approves a device silently (RFC 8628 §5.4, remote phishing); wrong codes are counted and locked out
 * ({@link UserCodeGuessing}); the answer is decided once ({@link DeviceConsentAnswers}).</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DeviceCodeProperties.class)
public class DeviceCodeGrant {

    /** The verification URI (RFC 8628 §3.2): where the user enters the code. */
    public static final String ACTIVATION_PAGE = "/activate";
    /** Where Spring's verification endpoint sends the user to consent. */
    static final String CONSENT_PAGE = ACTIVATION_PAGE + "/consent";

    /** What the grant is, apart from its endpoints (for the registry's unit tests, too). */
    public static GrantRegistration.Builder declaration() {
        return GrantRegistration.grant(AuthorizationGrantType.DEVICE_CODE)
                .advertisesEndpoint("device_authorization_endpoint",
                        AuthorizationServerSettings.builder().build().getDeviceAuthorizationEndpoint());
    }

    @Bean
    @Order(500)
    GrantRegistration deviceCodeRegistration(ObjectProvider<RegisteredClientRepository> clients,
            ObjectProvider<OAuth2AuthorizationService> authorizations, ObjectProvider<EndpointMatchers> matchers,
            ObjectProvider<FailureCounters> counters, ObjectProvider<ScopeCatalog> scopes,
            ObjectProvider<JdbcClient> jdbc, DeviceCodeProperties properties, ApplicationEventPublisher events,
            Clock clock) {
        return declaration().endpoints(endpoints -> {
            EndpointMatchers paths = matchers.getObject();
            endpoints.clientAuthentication(DevicePublicClients.converter(paths.deviceAuthorization(), paths.token()),
                    DevicePublicClients.provider(clients.getObject()));
            endpoints.deviceAuthorizationEndpoint(device -> device
                    .verificationUri(ACTIVATION_PAGE)
                    .deviceAuthorizationResponseHandler(new DeviceAuthorizationResponses(properties.interval(), events,
                            clock))
                    .authenticationProviders(providers -> providers.forEach(provider -> {
                        if (provider instanceof OAuth2DeviceAuthorizationRequestAuthenticationProvider requests) {
                            requests.setDeviceCodeGenerator(new DeviceCodes(clock));
                            requests.setUserCodeGenerator(new UserCodes(clock));
                        }
                    })));
            DeviceVerificationResponses answers = new DeviceVerificationResponses();
            endpoints.deviceVerificationEndpoint(verification -> verification
                    .consentPage(CONSENT_PAGE)
                    .deviceVerificationRequestConverters(converters -> converters.replaceAll(converter ->
                            converter instanceof OAuth2DeviceVerificationAuthenticationConverter ? new UserCodeEntry()
                                    : converter))
                    .authenticationProviders(providers -> verificationProviders(providers, counters.getObject(),
                            authorizations.getObject(), new ResourceOwnerScopes(scopes.getObject()), properties,
                            events, clock))
                    .deviceVerificationResponseHandler(answers)
                    .errorResponseHandler(answers));
            endpoints.editTokenProviders(providers -> providers.replaceAll(provider ->
                    provider instanceof OAuth2DeviceCodeAuthenticationProvider spring
                            ? new DeviceCodeTokenRequests(spring,
                                    new DevicePolls(jdbc.getObject(), clock, properties.interval()),
                                    authorizations.getObject())
                            : provider));
        }).build();
    }

    private static void verificationProviders(List<AuthenticationProvider> providers, FailureCounters counters,
            OAuth2AuthorizationService authorizations, ResourceOwnerScopes userScopes, DeviceCodeProperties properties,
            ApplicationEventPublisher events, Clock clock) {
        providers.replaceAll(provider -> {
            if (provider instanceof OAuth2DeviceVerificationAuthenticationProvider entries) {
                // RFC 8628 §5.4: every code entered is answered on the consent page
                entries.setAuthorizationConsentRequired(context -> true);
                return new UserCodeGuessing(entries, counters, properties, events, clock);
            }
            if (provider instanceof OAuth2DeviceAuthorizationConsentAuthenticationProvider consents) {
                return new DeviceConsentAnswers(consents, authorizations, userScopes, events, clock);
            }
            return provider;
        });
    }
}
