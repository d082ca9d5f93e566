package dev.ostiary.selfservice;

import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

/**
 * A "-----BEGIN PUBLIC KEY-----" block (X.509 SubjectPublicKeyInfo) as a JWK, RSA or EC. Written
 * here because Nimbus's PEM parsing needs BouncyCastle's PKIX library for what the JDK does alone.
 */
final class PemPublicKeys {

    private PemPublicKeys() {
    }

    static JWK parse(String pem) {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM block is not valid base64");
        }
        PublicKey key = decode(der);
        if (key instanceof RSAPublicKey rsa) {
            return new RSAKey.Builder(rsa).keyUse(KeyUse.SIGNATURE).build();
        }
        ECPublicKey ec = (ECPublicKey) key;
        Curve curve = Curve.forECParameterSpec(ec.getParams());
        if (curve == null) {
            throw new IllegalArgumentException("unsupported elliptic curve: use P-256, P-384 or P-521");
        }
        return new ECKey.Builder(curve, ec).keyUse(KeyUse.SIGNATURE).build();
    }

    private static PublicKey decode(byte[] der) {
        for (String algorithm : new String[] { "RSA", "EC" }) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (java.security.GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("not an RSA or EC public key");
    }
}
