package dev.ostiary.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeActor;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeCompositeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.token.DefaultOAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

import dev.ostiary.support.GrantFixtures;

/**
 * Review §2.5: Ostiary's generator keeps Spring Authorization Server's default claims, {@code cnf}
 * for a DPoP-bound token and the token exchange's {@code act}, and shapes the rest after them.
 */
@Tag("unit")
class OstiaryTokenGeneratorTest {

    private static NimbusJwtEncoder encoder;
    private final Map<String, Object> seenByOurs = new HashMap<>();
    private final OAuth2TokenCustomizer<JwtEncodingContext> ours = context -> context.getClaims()
            .claims(seenByOurs::putAll);
    private final OAuth2TokenGenerator<OAuth2Token> generator = OstiaryTokenGenerator.create(encoder, ours);
    private final RegisteredClient client = GrantFixtures.passwordClient().build();

    @BeforeAll
    static void signingKey() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("test-key").generate();
        encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(key)));
    }

    @Test
    void generateWhenTokenRequestHadDPoPProofThenCnfJktOfTheProofKeyBeforeOurClaims() throws Exception {
        ECKey proofKey = new ECKeyGenerator(Curve.P_256).generate();
        Jwt proof = Jwt.withTokenValue("proof").header("typ", "dpop+jwt").header("alg", "ES256")
                .header("jwk", proofKey.toPublicJWK().toJSONObject()).claim("htm", "POST").build();

        Jwt token = (Jwt) generator.generate(context(GrantFixtures.user("alice"), AuthorizationGrantType.AUTHORIZATION_CODE)
                .put(OAuth2TokenContext.DPOP_PROOF_KEY, proof).build());

        String thumbprint = proofKey.computeThumbprint().toString();
        assertThat(token.getClaimAsMap("cnf")).containsExactly(Map.entry("jkt", thumbprint));
        assertThat(seenByOurs).containsKey("cnf");
    }

    @Test
    void generateWhenTokenExchangeOnBehalfOfAnActorThenActClaim() {
        OAuth2TokenExchangeCompositeAuthenticationToken delegated = new OAuth2TokenExchangeCompositeAuthenticationToken(
                GrantFixtures.user("alice"), List.of(new OAuth2TokenExchangeActor(
                        Map.of("iss", GrantFixtures.ISSUER, "sub", "billing-service"))));

        Jwt token = (Jwt) generator.generate(context(delegated, AuthorizationGrantType.TOKEN_EXCHANGE).build());

        assertThat(token.getClaimAsMap("act")).containsOnly(Map.entry("iss", GrantFixtures.ISSUER),
                Map.entry("sub", "billing-service"));
    }

    @Test
    void generateWhenNoProofThenNoCnf() {
        Jwt token = (Jwt) generator.generate(context(GrantFixtures.user("alice"),
                AuthorizationGrantType.AUTHORIZATION_CODE).build());

        assertThat(token.hasClaim("cnf")).isFalse();
        assertThat(token.hasClaim("act")).isFalse();
    }

    private DefaultOAuth2TokenContext.Builder context(org.springframework.security.core.Authentication principal,
            AuthorizationGrantType grant) {
        return DefaultOAuth2TokenContext.builder()
                .registeredClient(client)
                .principal(principal)
                .authorizationServerContext(GrantFixtures.serverContext())
                .authorizedScopes(Set.of("read"))
                .tokenType(OAuth2TokenType.ACCESS_TOKEN)
                .authorizationGrantType(grant);
    }
}
