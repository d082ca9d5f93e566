import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Makes a signed request object (RFC 9101) or a client assertion (RFC 7523) for docs/par-jar.md,
 * with an EC P-256 key given as a private JWK (demo-fapi's is in docs/fapi.md). Run as a single file:
 * <pre>
 * java -cp ~/.m2/repository/com/nimbusds/nimbus-jose-jwt/10.9/nimbus-jose-jwt-10.9.jar docs/examples/RequestObject.java \
 *     request ISSUER CLIENT_ID KEY_JWK REDIRECT_URI CODE_CHALLENGE STATE
 * java -cp … docs/examples/RequestObject.java assertion ISSUER CLIENT_ID KEY_JWK AUDIENCE
 * </pre>
 */
public class RequestObject {
    public static void main(String[] a) throws Exception {
        ECKey key = ECKey.parse(a[3]);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(a[2])
                .expirationTime(new Date(System.currentTimeMillis() + 300_000)).jwtID(UUID.randomUUID().toString());
        JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID());
        if (a[0].equals("request")) {
            // RFC 9101 §4: aud is the issuer; the claims are the authorization request's parameters
            claims.audience(a[1]).claim("client_id", a[2]).claim("response_type", "code").claim("redirect_uri", a[4])
                    .claim("scope", "read").claim("state", a[6]).claim("code_challenge", a[5])
                    .claim("code_challenge_method", "S256");
            header.type(new JOSEObjectType("oauth-authz-req+jwt"));
        } else {
            claims.subject(a[2]).audience(a[4]);
        }
        SignedJWT jwt = new SignedJWT(header.build(), claims.build());
        jwt.sign(new ECDSASigner(key));
        System.out.println(jwt.serialize());
    }
}
