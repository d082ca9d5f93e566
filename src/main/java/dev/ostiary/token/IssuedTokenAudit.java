package dev.ostiary.token;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.grant.Grants;
import dev.ostiary.grant.IssuanceAudit;
import dev.ostiary.text.UntrustedText;

/**
 * The {@code token.issued} event, wherever a token is issued (the token endpoint, the implicit
 * grant's authorization endpoint), as the grant's registration says: with the token's subject, or
 * without one for a grant summed per minute (no token values in it, ever).
 */
public final class IssuedTokenAudit {

    /**
     * A request attribute where a grant's provider leaves what this one token's event should say
     * beyond the usual (a {@code Map<String, Object>}; the token exchange's subject client and actor).
     */
    public static final String DETAILS = IssuedTokenAudit.class.getName() + ".DETAILS";

    private final ApplicationEventPublisher events;
    private final Grants grants;
    private final Clock clock;

    public IssuedTokenAudit(ApplicationEventPublisher events, Grants grants, Clock clock) {
        this.events = events;
        this.grants = grants;
        this.clock = clock;
    }

    public void issued(HttpServletRequest request, String clientId, String grantType, OAuth2AccessToken accessToken,
            boolean refreshToken) {
        Map<String, Object> details = new HashMap<>();
        details.put("grantType", grantType);
        details.put("scopes", String.join(" ", accessToken.getScopes()));
        details.put("refreshToken", refreshToken);
        if (request.getAttribute(DETAILS) instanceof Map<?, ?> extra) {
            extra.forEach((name, value) -> details.put(String.valueOf(name), value));
        }
        String[] resources = request.getParameterValues(OAuth2ParameterNames.RESOURCE);
        if (resources != null) {
            // issued, so each was checked: the token's aud (RFC 8707)
            details.put("resources", String.join(" ", resources));
        }
        // the subject only where it is worth parsing the token for: not on a grant's hot path
        String user = grants.issuanceAudit(grantType) == IssuanceAudit.SUMMED_PER_MINUTE ? null
                : subjectOf(accessToken.getTokenValue());
        events.publishEvent(new AuditEvent(clock.instant(), AuditEventType.TOKEN_ISSUED, clientId, user,
                request.getRemoteAddr(), details));
    }

    /**
     * A token request refused with {@code invalid_target} (RFC 8707 §2): a client asking for a resource
     * it may not have is worth seeing, as an attempt to get a token for another API may be.
     */
    public void targetRefused(HttpServletRequest request, String clientId, String grantType) {
        String[] resources = request.getParameterValues(OAuth2ParameterNames.RESOURCE);
        Map<String, Object> details = new HashMap<>();
        details.put("grantType", UntrustedText.storable(grantType));
        details.put("resources", resources == null ? "" : UntrustedText.storable(String.join(" ", resources)));
        events.publishEvent(new AuditEvent(clock.instant(), AuditEventType.TARGET_REFUSED, clientId, null,
                request.getRemoteAddr(), details));
    }

    /** The subject of a token we just issued (no verification needed). */
    private static String subjectOf(String accessToken) {
        try {
            return com.nimbusds.jwt.JWTParser.parse(accessToken).getJWTClaimsSet().getSubject();
        } catch (java.text.ParseException e) {
            return null;
        }
    }
}
