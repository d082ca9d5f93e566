package dev.ostiary.keys;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.text.ParseException;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;

import dev.ostiary.crypto.MasterKey;

/**
 * Seals private keys under the master key and opens them again into signing JWKs. During a master
 * key rotation it also opens keys sealed under the previous master key, until they are re-encrypted.
 */
final class SigningKeyCipher {

    private final MasterKey masterKey;
    private final MasterKey previous;

    SigningKeyCipher(MasterKey masterKey, MasterKey previous) {
        this.masterKey = masterKey;
        this.previous = previous;
    }

    String masterKeyId() {
        return masterKey.id();
    }

    byte[] seal(String kid, PrivateKey privateKey) {
        return masterKey.encrypt(privateKey.getEncoded(), kid);
    }

    boolean canOpen(SigningKey key) {
        return masterKey.id().equals(key.masterKeyId())
                || (previous != null && previous.id().equals(key.masterKeyId()));
    }

    /** Whether the key is sealed under an older master key than this instance's. */
    boolean needsReencryption(SigningKey key) {
        return previous != null && previous.id().equals(key.masterKeyId());
    }

    /** The full signing JWK of a stored key. */
    JWK open(SigningKey key) throws GeneralSecurityException, ParseException {
        MasterKey sealedWith = masterKey.id().equals(key.masterKeyId()) ? masterKey : previous;
        byte[] pkcs8 = sealedWith.decrypt(key.privateKeyCiphertext(), key.kid());
        PrivateKey privateKey = KeyFactory.getInstance(key.algorithm().keyAlgorithm())
                .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        JWK publicJwk = JWK.parse(key.publicJwk());
        if (publicJwk instanceof RSAKey rsa) {
            return new RSAKey.Builder(rsa).privateKey((RSAPrivateKey) privateKey).keyUse(KeyUse.SIGNATURE).build();
        }
        ECKey ec = (ECKey) publicJwk;
        return new ECKey.Builder(ec).privateKey((ECPrivateKey) privateKey).keyUse(KeyUse.SIGNATURE).build();
    }
}
