package dev.ostiary.logout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcLogoutAuthenticationToken;

import dev.ostiary.support.TestClocks;

/** What Ostiary adds to Spring's RP-initiated logout: which requests need the user's confirmation. */
@Tag("unit")
class VerifiedLogoutRequestsTest {

    private static final RSAKey OURS = key("ours");
    private static final RSAKey THEIRS = key("theirs");
    private final JwtDecoder signatures = VerifiedLogoutRequests.idTokenSignatures(
            new ImmutableJWKSet<>(new JWKSet(OURS.toPublicJWK())));
    private final AtomicInteger springCalls = new AtomicInteger();

    private static RSAKey key(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String idToken(RSAKey key, Instant expiresAt) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer("https://ostiary.example").subject("alice").audience("web-app")
                        .issueTime(Date.from(expiresAt.minusSeconds(1800))).expirationTime(Date.from(expiresAt))
                        .build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private AuthenticationProvider provider(OAuth2AuthenticationException springThrows) {
        return VerifiedLogoutRequests.provider(new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication authentication) {
                springCalls.incrementAndGet();
                if (springThrows != null) {
                    throw springThrows;
                }
                return authentication;
            }

            @Override
            public boolean supports(Class<?> authentication) {
                return true;
            }
        }, signatures);
    }

    private static OidcLogoutAuthenticationToken request(String hint) {
        return new OidcLogoutAuthenticationToken(hint, new AnonymousAuthenticationToken("k", "anonymous",
                AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")), null, null, null, null);
    }

    @Test
    void whenNoIdTokenHintThenConfirmationRequiredAndSpringNotAsked() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/connect/logout");
        request.setParameter("post_logout_redirect_uri", "https://app.example/bye");
        assertThatThrownBy(() -> VerifiedLogoutRequests.converter(r -> {
            springCalls.incrementAndGet();
            return null;
        }).convert(request)).isInstanceOf(LogoutConfirmationRequired.class);
        assertThat(springCalls).hasValue(0);
    }

    @Test
    void whenHintIsExpiredButOursThenSpringDecides() throws Exception {
        String expired = idToken(OURS, TestClocks.NOW.minusSeconds(86_400));
        assertThat(provider(null).authenticate(request(expired))).isNotNull();
        assertThat(springCalls).hasValue(1);
    }

    @Test
    void whenHintIsSignedByAnotherKeyOrNotAJwtThenConfirmationRequired() throws Exception {
        for (String hint : new String[] { idToken(THEIRS, Instant.now().plusSeconds(600)), "not-a-jwt" }) {
            assertThatThrownBy(() -> provider(null).authenticate(request(hint)))
                    .isInstanceOf(LogoutConfirmationRequired.class)
                    .extracting(e -> ((OAuth2AuthenticationException) e).getError().getErrorCode())
                    .isEqualTo(OAuth2ErrorCodes.INVALID_REQUEST);
        }
        assertThat(springCalls).hasValue(0);
    }

    @Test
    void whenSpringFindsTheHintUnknownOrAnotherUsersThenConfirmationRequired() throws Exception {
        String hint = idToken(OURS, Instant.now().plusSeconds(600));
        assertThatThrownBy(() -> provider(new OAuth2AuthenticationException(new OAuth2Error(
                OAuth2ErrorCodes.INVALID_TOKEN, "sub", null))).authenticate(request(hint)))
                .isInstanceOf(LogoutConfirmationRequired.class);
    }

    @Test
    void whenSpringRefusesTheRedirectUriThenThatErrorStands() throws Exception {
        String hint = idToken(OURS, Instant.now().plusSeconds(600));
        OAuth2AuthenticationException wrongRedirect = new OAuth2AuthenticationException(new OAuth2Error(
                OAuth2ErrorCodes.INVALID_REQUEST, "post_logout_redirect_uri", null));
        assertThatThrownBy(() -> provider(wrongRedirect).authenticate(request(hint))).isSameAs(wrongRedirect);
    }
}
