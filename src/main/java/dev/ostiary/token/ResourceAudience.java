package dev.ostiary.token;

import java.util.Map;
import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationGrantAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;

import dev.ostiary.client.OstiaryClientSettings;
import dev.ostiary.resource.ResourceIndicators;

/**
 * The resources (RFC 8707) an access token is for, decided where every token passes: the token
 * request's {@code resource} values (Spring's converters keep them among the grant's additional
 * parameters), or, when it names none, the resources its grant was given: the authorization
 * request's (code flow, remembered with the authorization) or {@link ResourceIndicators#GRANTED_ATTRIBUTE}
 * (the password grant). A code redemption or a refresh may narrow them, never widen them (§2.2).
 * Empty when neither names a resource: the audience then comes from the scopes, as it always did.
 */
public final class ResourceAudience {

    private final ResourceIndicators indicators;

    public ResourceAudience(ResourceIndicators indicators) {
        this.indicators = indicators;
    }

    /** The token's resources, or empty; {@code invalid_target} or {@code invalid_scope} when the request may not have them. */
    public Set<String> of(JwtEncodingContext context) {
        Set<String> requested = ResourceIndicators.requested(parametersOf(context.getAuthorizationGrant()));
        Set<String> granted = grantedResources(context.getAuthorization());
        return indicators.target(requested, granted, OstiaryClientSettings.resources(context.getRegisteredClient()),
                context.getAuthorizedScopes());
    }

    private static Map<String, Object> parametersOf(Authentication grant) {
        return grant instanceof OAuth2AuthorizationGrantAuthenticationToken token ? token.getAdditionalParameters()
                : null;
    }

    /** The resources the grant behind {@code authorization} was given; empty for none or no authorization. */
    static Set<String> grantedResources(OAuth2Authorization authorization) {
        if (authorization == null) {
            return Set.of();
        }
        Set<String> ours = ResourceIndicators.parseGranted(authorization.getAttribute(ResourceIndicators.GRANTED_ATTRIBUTE));
        if (!ours.isEmpty()) {
            return ours;
        }
        OAuth2AuthorizationRequest request = authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
        return request == null ? Set.of() : ResourceIndicators.requested(request.getAdditionalParameters());
    }
}
