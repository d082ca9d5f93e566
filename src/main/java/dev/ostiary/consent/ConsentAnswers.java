package dev.ostiary.consent;

import java.util.List;

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

import dev.ostiary.grant.ConsentedGrant;

/**
 * The consent page's answer, in place of Spring's consent provider (so its outcome is final):
 * <ul>
 * <li>Deny (no scope approved) is {@code access_denied} for both flows. Spring would instead issue a
 * code for whatever the user had approved before, which is not what the user just said.</li>
 * <li>An approval of another grant's request (implicit) goes to that grant's {@link ConsentedGrant},
 * which issues its token.</li>
 * <li>An approval in the code flow goes to Spring's provider.</li>
 * </ul>
 */
public final class ConsentAnswers implements AuthenticationProvider {

    private static final OAuth2TokenType STATE = new OAuth2TokenType(OAuth2ParameterNames.STATE);
    private static final String DENIED = "The user denied the request";

    private final AuthenticationProvider codeFlowConsents;
    private final List<ConsentedGrant> otherGrants;
    private final OAuth2AuthorizationService authorizations;
    private final RegisteredClientRepository clients;

    public ConsentAnswers(AuthenticationProvider codeFlowConsents, List<ConsentedGrant> otherGrants,
            OAuth2AuthorizationService authorizations, RegisteredClientRepository clients) {
        this.codeFlowConsents = codeFlowConsents;
        this.otherGrants = List.copyOf(otherGrants);
        this.authorizations = authorizations;
        this.clients = clients;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        // the device flow's answer is a subclass with its own provider (grant/devicecode): not ours
        return codeFlowConsents.supports(authentication) && !org.springframework.security.oauth2.server.authorization
                .authentication.OAuth2DeviceAuthorizationConsentAuthenticationToken.class.isAssignableFrom(authentication);
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
        ConsentedGrant otherGrant = otherGrants.stream()
                .filter(grant -> grant.grantType().equals(inFlight.getAuthorizationGrantType()))
                .findFirst().orElse(null);
        if (answer.getScopes().isEmpty()) {
            authorizations.remove(inFlight);
            throw otherGrant != null ? otherGrant.denied(inFlight, OAuth2ErrorCodes.ACCESS_DENIED, DENIED)
                    : denied(inFlight, user);
        }
        if (otherGrant != null) {
            return otherGrant.approved(answer, inFlight, client);
        }
        return codeFlowConsents.authenticate(authentication);
    }

    private static AuthenticationException denied(OAuth2Authorization inFlight, Authentication user) {
        OAuth2AuthorizationRequest request = inFlight.getAttribute(OAuth2AuthorizationRequest.class.getName());
        OAuth2AuthorizationCodeRequestAuthenticationToken original = new OAuth2AuthorizationCodeRequestAuthenticationToken(
                request.getAuthorizationUri(), request.getClientId(), user, request.getRedirectUri(),
                request.getState(), request.getScopes(), request.getAdditionalParameters());
        return new OAuth2AuthorizationCodeRequestAuthenticationException(
                new OAuth2Error(OAuth2ErrorCodes.ACCESS_DENIED, DENIED, null), original);
    }
}
