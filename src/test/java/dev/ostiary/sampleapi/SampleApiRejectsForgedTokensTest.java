package dev.ostiary.sampleapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

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
        List<String> forged = new ArrayList<>();
        forged.add(ForgedTokens.unsigned(claims));
        forged.addAll(ForgedTokens.hmacWithPublicKey(baseUrl() + "/oauth2/jwks", claims));
        forged.add(ForgedTokens.unknownKid(claims));
        for (String token : forged) {
            assertThat(api().call("DELETE", "/api/patients/1", token).statusCode()).as(token).isEqualTo(401);
        }
    }

    @Test
    void jkuX5uAndEmbeddedJwkAreNeverFollowed() throws Exception {
        JWTClaimsSet claims = ForgedTokens.adminClaims(baseUrl(), "demo-api");
        try (AttackerServer attacker = AttackerServer.start()) {
            for (String token : List.of(ForgedTokens.withJku(claims, attacker.uri("/jwks.json")),
                    ForgedTokens.withX5u(claims, attacker.uri("/cert.pem")), ForgedTokens.withEmbeddedJwk(claims))) {
                assertThat(api().call("DELETE", "/api/patients/1", token).statusCode()).isEqualTo(401);
            }
            assertThat(attacker.hits()).isZero();
        }
    }
}
