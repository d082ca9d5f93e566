package dev.ostiary.support;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Tokens an attacker could make: unsigned, signed with the server's public key as an HMAC secret,
 * signed with a key of their own under an unknown kid, or pointing at their own keys (jku, x5u,
 * embedded jwk). Their claims are what a real admin token carries.
 */
public final class ForgedTokens {

    private static final RSAKey ATTACKER = generate();

    private ForgedTokens() {
    }

    public static RSAKey attackerKey() {
        return ATTACKER;
    }

    public static JWTClaimsSet adminClaims(String issuer, String audience) {
        Date now = new Date();
        return new JWTClaimsSet.Builder()
                .issuer(issuer).subject("bob").audience(List.of(audience)).issueTime(now).notBeforeTime(now)
                .expirationTime(new Date(now.getTime() + 300_000)).jwtID(UUID.randomUUID().toString())
                .claim("client_id", "trusted-app").claim("scope", "read write admin")
                .claim("roles", List.of("USER", "ADMIN")).build();
    }

    public static String unsigned(JWTClaimsSet claims) {
        String header = b64("{\"alg\":\"none\",\"typ\":\"at+jwt\"}");
        return header + "." + b64(claims.toString()) + ".";
    }

    /** HS256 with the server's published RSA key (its JSON, and its modulus bytes) as the HMAC secret. */
    public static List<String> hmacWithPublicKey(String jwksUrl, JWTClaimsSet claims) throws Exception {
        RSAKey published = (RSAKey) JWKSet.load(URI.create(jwksUrl).toURL()).getKeys().stream()
                .filter(k -> k instanceof RSAKey).findFirst().orElseThrow();
        List<byte[]> secrets = List.of(published.toJSONString().getBytes(StandardCharsets.UTF_8),
                published.toPublicKey().getEncoded(), published.getModulus().decode());
        return secrets.stream().map(secret -> {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(published.getKeyID())
                        .type(new JOSEObjectType("at+jwt")).build(), claims);
                jwt.sign(new MACSigner(pad(secret)));
                return jwt.serialize();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    /**
     * Every token that tries to choose its own algorithm or key (RFC 8725 §3.1): unsigned, HMAC with the
     * server's published key, and a key of the attacker's under an unknown kid.
     */
    public static List<String> algorithmAttacks(String jwksUrl, JWTClaimsSet claims) throws Exception {
        List<String> forged = new java.util.ArrayList<>();
        forged.add(unsigned(claims));
        forged.addAll(hmacWithPublicKey(jwksUrl, claims));
        forged.add(unknownKid(claims));
        return forged;
    }

    /**
     * Tokens whose header points at the attacker's keys ({@code jku}, {@code x5u} on {@code attacker}) or
     * embeds one ({@code jwk}); a verifier must follow none of them.
     */
    public static List<String> keyReferenceAttacks(JWTClaimsSet claims, AttackerServer attacker) throws Exception {
        return List.of(withJku(claims, attacker.uri("/jwks.json")), withX5u(claims, attacker.uri("/cert.pem")),
                withEmbeddedJwk(claims));
    }

    public static String unknownKid(JWTClaimsSet claims) throws Exception {
        return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(ATTACKER.getKeyID())
                .type(new JOSEObjectType("at+jwt")).build(), claims);
    }

    public static String withJku(JWTClaimsSet claims, URI jku) throws Exception {
        return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(ATTACKER.getKeyID()).jwkURL(jku)
                .type(new JOSEObjectType("at+jwt")).build(), claims);
    }

    public static String withX5u(JWTClaimsSet claims, URI x5u) throws Exception {
        return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(ATTACKER.getKeyID()).x509CertURL(x5u)
                .type(new JOSEObjectType("at+jwt")).build(), claims);
    }

    public static String withEmbeddedJwk(JWTClaimsSet claims) throws Exception {
        return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(ATTACKER.getKeyID()).jwk(ATTACKER.toPublicJWK())
                .type(new JOSEObjectType("at+jwt")).build(), claims);
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new RSASSASigner(ATTACKER));
        return jwt.serialize();
    }

    private static byte[] pad(byte[] secret) {
        return secret.length >= 32 ? secret : java.util.Arrays.copyOf(secret, 32);
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).keyID("attacker-" + UUID.randomUUID()).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
