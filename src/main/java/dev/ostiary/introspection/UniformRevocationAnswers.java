package dev.ostiary.introspection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenRevocationAuthenticationToken;

/**
 * Spring's revocation provider, except that another client's token gets the answer an unknown token
 * gets: 200, and nothing is revoked (RFC 7009 §2.2: "invalid tokens do not cause an error response").
 * Spring answers {@code invalid_client} there, which tells any client whether a token it found is a
 * live token of someone else (review I5). A client that failed to authenticate still gets
 * {@code invalid_client}: that check runs before this provider, in the client authentication filter.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7009#section-2.2">RFC 7009 §2.2</a>
 */
public final class UniformRevocationAnswers implements AuthenticationProvider {

    private static final Logger log = LoggerFactory.getLogger(UniformRevocationAnswers.class);

    private final AuthenticationProvider delegate;

    public UniformRevocationAnswers(AuthenticationProvider delegate) {
        this.delegate = delegate;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        try {
            return delegate.authenticate(authentication);
        } catch (OAuth2AuthenticationException e) {
            if (OAuth2ErrorCodes.INVALID_CLIENT.equals(e.getError().getErrorCode())
                    && authentication instanceof OAuth2TokenRevocationAuthenticationToken request
                    && request.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
                    && client.isAuthenticated()) {
                log.debug("Client {} asked to revoke another client's token: answered as for an unknown token",
                        client.getName());
                // what Spring's provider returns for an unknown token: the request itself, nothing revoked
                return request;
            }
            throw e;
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return delegate.supports(authentication);
    }
}
