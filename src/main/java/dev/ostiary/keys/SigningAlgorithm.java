package dev.ostiary.keys;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.InvalidAlgorithmParameterException;
import java.security.spec.ECGenParameterSpec;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;

/**
 * The JWS algorithms Ostiary signs access tokens with. The server fixes the algorithm: it is never
 * taken from a request or a token (RFC 9700 §2.7 / RFC 8725 §3.1).
 */
public enum SigningAlgorithm {

    /** RSASSA-PKCS1-v1_5 with SHA-256, 2048-bit keys: what every JWT library verifies. */
    RS256(JWSAlgorithm.RS256, SignatureAlgorithm.RS256, "RSA"),

    /** ECDSA P-256 with SHA-256: smaller tokens, much cheaper signing on a native provider. */
    ES256(JWSAlgorithm.ES256, SignatureAlgorithm.ES256, "EC");

    private final JWSAlgorithm jwsAlgorithm;
    private final SignatureAlgorithm springAlgorithm;
    private final String keyAlgorithm;

    SigningAlgorithm(JWSAlgorithm jwsAlgorithm, SignatureAlgorithm springAlgorithm, String keyAlgorithm) {
        this.jwsAlgorithm = jwsAlgorithm;
        this.springAlgorithm = springAlgorithm;
        this.keyAlgorithm = keyAlgorithm;
    }

    public SignatureAlgorithm springAlgorithm() {
        return springAlgorithm;
    }

    /** The JCA key algorithm name ("RSA", "EC"), for decoding stored PKCS#8 private keys. */
    String keyAlgorithm() {
        return keyAlgorithm;
    }

    KeyPair generateKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(keyAlgorithm);
            if (this == RS256) {
                generator.initialize(2048);
            } else {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            }
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("Cannot generate a " + this + " key pair", e);
        }
    }

    /** A signing JWK holding both halves of the pair, its kid the RFC 7638 thumbprint. */
    JWK toJwk(KeyPair keyPair) {
        try {
            if (this == RS256) {
                RSAKey withoutKid = new RSAKey.Builder((RSAPublicKey) keyPair.getPublic()).build();
                return new RSAKey.Builder((RSAPublicKey) keyPair.getPublic())
                        .privateKey((RSAPrivateKey) keyPair.getPrivate())
                        .keyUse(KeyUse.SIGNATURE)
                        .algorithm(jwsAlgorithm)
                        .keyID(withoutKid.computeThumbprint().toString())
                        .build();
            }
            ECKey withoutKid = new ECKey.Builder(Curve.P_256, (ECPublicKey) keyPair.getPublic()).build();
            return new ECKey.Builder(Curve.P_256, (ECPublicKey) keyPair.getPublic())
                    .privateKey((ECPrivateKey) keyPair.getPrivate())
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(jwsAlgorithm)
                    .keyID(withoutKid.computeThumbprint().toString())
                    .build();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException("Cannot compute the key thumbprint", e);
        }
    }
}
