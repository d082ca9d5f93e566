package dev.ostiary.grant.devicecode;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceCodeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * The {@code device_code} token request (RFC 8628 §3.4, §3.5): Spring's provider, which answers
 * {@code authorization_pending}, {@code expired_token} and {@code access_denied} and redeems the code
 * once (the store's compare-and-set), with what it leaves out:
 * <ul>
 * <li>a client not registered for the grant is {@code unauthorized_client} (RFC 6749 §5.2), whoever
 * holds the code;</li>
 * <li>{@code slow_down} for a client polling faster than the interval ({@link DevicePolls});</li>
 * <li>a device code already redeemed is {@code invalid_grant}: Spring cannot tell it from a denied
 * one (both are invalidated) and would answer {@code access_denied}.</li>
 * </ul>
 */
final class DeviceCodeTokenRequests implements AuthenticationProvider {

    private static final OAuth2TokenType DEVICE_CODE = new OAuth2TokenType(OAuth2ParameterNames.DEVICE_CODE);
    private static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc8628#section-3.5";

    private final AuthenticationProvider spring;
    private final DevicePolls polls;
    private final OAuth2AuthorizationService authorizations;

    DeviceCodeTokenRequests(AuthenticationProvider spring, DevicePolls polls, OAuth2AuthorizationService authorizations) {
        this.spring = spring;
        this.polls = polls;
        this.authorizations = authorizations;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        OAuth2DeviceCodeAuthenticationToken request = (OAuth2DeviceCodeAuthenticationToken) authentication;
        if (!(request.getPrincipal() instanceof OAuth2ClientAuthenticationToken client) || !client.isAuthenticated()
                || client.getRegisteredClient() == null) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
        }
        RegisteredClient registered = client.getRegisteredClient();
        if (!registered.getAuthorizationGrantTypes().contains(AuthorizationGrantType.DEVICE_CODE)) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT);
        }
        if (polls.tooEarly(request.getDeviceCode(), registered.getId())) {
            throw new OAuth2AuthenticationException(new OAuth2Error("slow_down",
                    "Polling too fast: wait at least the interval, now 5 seconds longer", ERROR_URI));
        }
        try {
            return spring.authenticate(request);
        } catch (OAuth2AuthenticationException e) {
            if (OAuth2ErrorCodes.ACCESS_DENIED.equals(e.getError().getErrorCode()) && redeemed(request.getDeviceCode())) {
                throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
                        "The device code was already used", ERROR_URI));
            }
            throw e;
        }
    }

    /**
     * Whether the user approved the code: then an invalidated device code was redeemed, not denied.
     * Approval is what sets the authorized scopes (a denial sets none), and it is already stored when
     * a parallel poll loses the redemption race, before the winner's access token is (RFC 8628 §3.5:
     * {@code access_denied} is for the user's refusal only).
     */
    private boolean redeemed(String deviceCode) {
        OAuth2Authorization authorization = authorizations.findByToken(deviceCode, DEVICE_CODE);
        return authorization != null
                && (!authorization.getAuthorizedScopes().isEmpty() || authorization.getAccessToken() != null);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return spring.supports(authentication);
    }
}
