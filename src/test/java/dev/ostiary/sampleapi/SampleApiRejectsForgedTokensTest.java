package dev.ostiary.sampleapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.Test;

import dev.ostiary.support.AttackerServer;
import dev.ostiary.support.ForgedTokens;
import dev.ostiary.support.SampleApi;
import dev.ostiary.support.ServerTest;

/**
 * RFC 9700 §2.7 and RFC 8725 at the resource server: the algorithm is fixed by the verifier, not
 * the token; unknown keys are not trusted; key URLs and embedded keys in the header are ignored.
 */
class SampleApiRejectsForgedTokensTest extends ServerTest {

    private SampleApi api() {
        return SampleApi.shared(baseUrl());
    }

    @Test
    void noneAndHmacWithThePublicKeyAndUnknownKidAreRejected() throws Exception {
        JWTClaimsSet claims = ForgedTokens.adminClaims(baseUrl(), "demo-api");
        for (String token : ForgedTokens.algorithmAttacks(baseUrl() + "/oauth2/jwks", claims)) {
            assertThat(api().call("DELETE", "/api/patients/1", token).statusCode()).as(token).isEqualTo(401);
        }
    }

    @Test
    void jkuX5uAndEmbeddedJwkAreNeverFollowed() throws Exception {
        JWTClaimsSet claims = ForgedTokens.adminClaims(baseUrl(), "demo-api");
        try (AttackerServer attacker = AttackerServer.start()) {
            for (String token : ForgedTokens.keyReferenceAttacks(claims, attacker)) {
                assertThat(api().call("DELETE", "/api/patients/1", token).statusCode()).isEqualTo(401);
            }
            assertThat(attacker.hits()).isZero();
        }
    }
}
