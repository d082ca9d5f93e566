package dev.ostiary.sample.resourceserver;

import java.net.URI;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A back-channel logout receiver as a relying party would write one (OpenID Connect Back-Channel
 * Logout 1.0 §2.6), so the demo's {@code web-app} has somewhere to be told (docs/logout.md): the
 * logout token is verified against the issuer's JWKS ({@code typ logout+jwt}, {@code iss},
 * {@code aud} = {@code sample.logout-client-id}, {@code iat}, {@code exp}), must carry the
 * back-channel logout event and {@code sub} or {@code sid}, and no {@code nonce}. A real client
 * would end its sessions for that {@code sub}/{@code sid}; the sample logs them. 200 if valid, 400
 * otherwise (§2.8).
 */
@RestController
class BackchannelLogoutReceiver {

    static final String PATH = "/backchannel-logout";
    private static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";
    private static final Logger log = LoggerFactory.getLogger(BackchannelLogoutReceiver.class);

    private final SampleApiProperties properties;
    private volatile DefaultJWTProcessor<SecurityContext> processor;

    BackchannelLogoutReceiver(SampleApiProperties properties) {
        this.properties = properties;
    }

    @PostMapping(path = PATH, consumes = "application/x-www-form-urlencoded")
    ResponseEntity<Map<String, String>> logout(@RequestParam("logout_token") String logoutToken) {
        try {
            JWTClaimsSet claims = processor().process(logoutToken, null);
            Object events = claims.getJSONObjectClaim("events") == null ? null
                    : claims.getJSONObjectClaim("events").get(EVENT);
            if (!(events instanceof Map) || claims.getClaim("nonce") != null
                    || (claims.getSubject() == null && claims.getStringClaim("sid") == null)) {
                return ResponseEntity.badRequest().body(Map.of("error", "invalid_request"));
            }
            log.info("Back-channel logout: sub={} sid={} jti={}", claims.getSubject(), claims.getStringClaim("sid"),
                    claims.getJWTID());
            return ResponseEntity.ok().header("Cache-Control", "no-store").build();
        } catch (Exception e) {
            return ResponseEntity.badRequest().body(Map.of("error", "invalid_request"));
        }
    }

    private DefaultJWTProcessor<SecurityContext> processor() throws Exception {
        DefaultJWTProcessor<SecurityContext> current = processor;
        if (current == null) {
            JWKSource<SecurityContext> keys = JWKSourceBuilder.create(
                    URI.create(ApiSecurity.discoverJwksUri(properties.issuerUri())).toURL()).retrying(true).build();
            current = new DefaultJWTProcessor<>();
            current.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("logout+jwt")));
            current.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
                    keys));
            current.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(properties.logoutClientId(),
                    new JWTClaimsSet.Builder().issuer(properties.issuerUri()).build(),
                    Set.of("iat", "exp", "jti", "events")));
            processor = current;
        }
        return current;
    }
}
