package dev.ostiary.consent;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import dev.ostiary.grant.OstiaryGrantTypes;
import dev.ostiary.grant.implicit.ImplicitAuthorizationException;
import dev.ostiary.grant.implicit.ImplicitConsentApproval;

/**
 * The consent page's answer, in place of Spring's consent provider (so its outcome is final):
 * <ul>
 * <li>Deny (no scope approved) is {@code access_denied} for both flows. Spring would instead issue a
 * code for whatever the user had approved before, which is not what the user just said.</li>
 * <li>An approval of an implicit request issues the token here.</li>
 * <li>An approval in the code flow goes to Spring's provider.</li>
 * </ul>
 */
public final class ConsentAnswers implements AuthenticationProvider {

    private static final OAuth2TokenType STATE = new OAuth2TokenType(OAuth2ParameterNames.STATE);

    private final AuthenticationProvider codeFlowConsents;
    private final ImplicitConsentApproval implicitConsents;
    private final OAuth2AuthorizationService authorizations;
    private final RegisteredClientRepository clients;

    public ConsentAnswers(AuthenticationProvider codeFlowConsents, ImplicitConsentApproval implicitConsents,
            OAuth2AuthorizationService authorizations, RegisteredClientRepository clients) {
        this.codeFlowConsents = codeFlowConsents;
        this.implicitConsents = implicitConsents;
        this.authorizations = authorizations;
        this.clients = clients;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return codeFlowConsents.supports(authentication);
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        if (!(authentication instanceof OAuth2AuthorizationConsentAuthenticationToken answer)) {
            return codeFlowConsents.authenticate(authentication);
        }
        OAuth2Authorization inFlight = authorizations.findByToken(answer.getState(), STATE);
        Authentication user = (Authentication) answer.getPrincipal();
        RegisteredClient client = clients.findByClientId(answer.getClientId());
        if (inFlight == null || user == null || !user.isAuthenticated()
                || !user.getName().equals(inFlight.getPrincipalName()) || client == null
                || !client.getId().equals(inFlight.getRegisteredClientId())) {
            // Spring's provider answers these with invalid_request and no redirect
            return codeFlowConsents.authenticate(authentication);
        }
        boolean implicit = OstiaryGrantTypes.IMPLICIT.equals(inFlight.getAuthorizationGrantType());
        if (answer.getScopes().isEmpty()) {
            authorizations.remove(inFlight);
            throw denied(inFlight, implicit, user);
        }
        if (implicit) {
            return implicitConsents.approve(answer, inFlight, client);
        }
        return codeFlowConsents.authenticate(authentication);
    }

    private static AuthenticationException denied(OAuth2Authorization inFlight, boolean implicit, Authentication user) {
        OAuth2AuthorizationRequest request = inFlight.getAttribute(OAuth2AuthorizationRequest.class.getName());
        String description = "The user denied the request";
        if (implicit) {
            return new ImplicitAuthorizationException(OAuth2ErrorCodes.ACCESS_DENIED, description,
                    request.getRedirectUri(), request.getState());
        }
        OAuth2AuthorizationCodeRequestAuthenticationToken original = new OAuth2AuthorizationCodeRequestAuthenticationToken(
                request.getAuthorizationUri(), request.getClientId(), user, request.getRedirectUri(),
                request.getState(), request.getScopes(), request.getAdditionalParameters());
        return new OAuth2AuthorizationCodeRequestAuthenticationException(
                new OAuth2Error(OAuth2ErrorCodes.ACCESS_DENIED, description, null), original);
    }
}
