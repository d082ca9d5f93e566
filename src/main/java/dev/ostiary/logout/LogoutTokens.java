package dev.ostiary.logout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;

/**
 * Logout tokens, OpenID Connect Back-Channel Logout 1.0 §2.4: a JWT of type {@code logout+jwt}
 * signed with our keys (the ID tokens' algorithm, RS256), with {@code iss}, {@code aud} (the client),
 * {@code iat}, {@code exp}, {@code jti}, {@code sub} and, when known, {@code sid}, the back-channel
 * logout event, and never a {@code nonce} (§2.4: it would make it an ID token).
 */
public final class LogoutTokens {

    public static final String TYPE = "logout+jwt";
    public static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";

    private final JwtEncoder encoder;
    private final Duration lifetime;

    public LogoutTokens(JwtEncoder encoder, Duration lifetime) {
        this.encoder = encoder;
        this.lifetime = lifetime;
    }

    /** What the client is told: who signed out (its {@code sub}, its session {@code sid}) and the event's id. */
    public record Logout(String issuer, String clientId, String subject, String sid, String jti) {
    }

    public String sign(Logout logout, Instant now) {
        JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).type(TYPE).build();
        return encoder.encode(JwtEncoderParameters.from(header, claims(logout, now, lifetime))).getTokenValue();
    }

    static JwtClaimsSet claims(Logout logout, Instant now, Duration lifetime) {
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                .issuer(logout.issuer())
                .audience(List.of(logout.clientId()))
                .issuedAt(now)
                .expiresAt(now.plus(lifetime))
                .id(logout.jti())
                .subject(logout.subject())
                .claim("events", Map.of(EVENT, Map.of()));
        if (logout.sid() != null) {
            claims.claim("sid", logout.sid());
        }
        return claims.build();
    }
}
