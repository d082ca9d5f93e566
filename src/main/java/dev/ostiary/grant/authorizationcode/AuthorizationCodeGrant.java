package dev.ostiary.grant.authorizationcode;

import static dev.ostiary.grant.ClientRequirement.REDIRECT_URI;

import java.time.Clock;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2PushedAuthorizationRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import dev.ostiary.client.RedirectUriMatching;
import dev.ostiary.consent.ConsentRequired;
import dev.ostiary.grant.GrantRegistration;
import dev.ostiary.grant.SelfServiceOffer;
import dev.ostiary.grant.resourceowner.ResourceOwnerScopes;
import dev.ostiary.jar.RequestObjectVerifier;
import dev.ostiary.jar.SignedRequestObjects;
import dev.ostiary.par.PushedAuthorizationRequestRules;
import dev.ostiary.replay.SeenJtis;
import dev.ostiary.resource.ResourceIndicators;
import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.stepup.StepUpValidator;

/**
 * The authorization code grant (RFC 6749 §4.1), Spring's own, with Ostiary's rules at the
 * authorization endpoint: redirect URIs matched exactly (RFC 9700 §2.1), pushed requests included;
 * consent asked as the client's settings say; scopes reduced to the user's roles before the consent
 * page ({@link UserScopedAuthorizationRequests}); {@code resource} values checked
 * ({@link AuthorizationRequestResources}, RFC 8707). Self-service clients get refresh tokens with it.
 */
@Configuration(proxyBeanMethods = false)
public class AuthorizationCodeGrant {

    /** What the grant is, apart from its endpoints (for the registry's unit tests, too). */
    public static GrantRegistration.Builder declaration() {
        return GrantRegistration.grant(AuthorizationGrantType.AUTHORIZATION_CODE)
                .builtIntoSpring()
                .requires(REDIRECT_URI)
                .selfService(SelfServiceOffer.ORDINARY, AuthorizationGrantType.REFRESH_TOKEN)
                .dynamicallyRegistrable()
                .responseType("code");
    }

    @Bean
    @Order(100)
    GrantRegistration authorizationCodeRegistration(ObjectProvider<RegisteredClientRepository> clients,
            ObjectProvider<ScopeCatalog> scopes, ObjectProvider<SeenJtis> seen, ObjectProvider<Clock> clock,
            ApplicationEventPublisher events, ObjectProvider<ResourceIndicators> resources,
            ObjectProvider<RequestObjectVerifier> requestObjects, ObjectProvider<StepUpValidator> stepUp) {
        return declaration()
                .endpoints(endpoints -> endpoints
                        // RFC 9101: a signed request object becomes the request, at both endpoints
                        .authorizationRequestConverter(new SignedRequestObjects(clients.getObject(),
                                requestObjects.getObject(), events))
                        .pushedAuthorizationRequestConverter(new SignedRequestObjects(clients.getObject(),
                                requestObjects.getObject(), events))
                        .editAuthorizationProviders(providers -> userScoped(providers, clients.getObject(),
                                new ResourceOwnerScopes(scopes.getObject()), validator(resources.getObject()),
                                stepUp.getObject()))
                        // outermost: request_uri and PAR rules (RFC 9126) before anything reads the request
                        .editAuthorizationProviders(providers -> providers.replaceAll(
                                provider -> provider instanceof UserScopedAuthorizationRequests
                                        ? new PushedAuthorizationRequestRules(provider, clients.getObject(),
                                                seen.getObject(), clock.getObject(), events)
                                        : provider))
                        .editPushedAuthorizationProviders(providers -> exactRedirectUris(providers,
                                validator(resources.getObject()), stepUp.getObject())))
                .build();
    }

    /** Spring's code request provider, with our consent and redirect rules, behind the role-based scope reduction. */
    private static void userScoped(List<AuthenticationProvider> providers, RegisteredClientRepository clients,
            ResourceOwnerScopes userScopes, AuthorizationRequestResources validator, StepUpValidator stepUp) {
        providers.replaceAll(provider -> {
            if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider codeRequests) {
                codeRequests.setAuthorizationConsentRequired(new ConsentRequired());
                // then acr_values, max_age, prompt and the second-factor policy (docs/sign-in.md, step-up)
                codeRequests.setAuthenticationValidator(validator.andThen(stepUp));
                return new UserScopedAuthorizationRequests(codeRequests, clients, userScopes, validator);
            }
            return provider;
        });
    }

    /** Redirect URIs matched exactly and Spring's scope check, then the resources (RFC 8707). */
    private static AuthorizationRequestResources validator(ResourceIndicators resources) {
        return new AuthorizationRequestResources(RedirectUriMatching.validator(), resources);
    }

    private static void exactRedirectUris(List<AuthenticationProvider> providers, AuthorizationRequestResources validator,
            StepUpValidator stepUp) {
        providers.forEach(provider -> {
            if (provider instanceof OAuth2PushedAuthorizationRequestAuthenticationProvider pushed) {
                // the client is the principal here: the step-up check only refuses malformed acr_values/max_age
                pushed.setAuthenticationValidator(validator.andThen(stepUp));
            }
        });
    }
}
