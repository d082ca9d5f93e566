package dev.ostiary.keys;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

/** A signing key as stored: public half in clear, private half encrypted under the master key. */
@Entity
@Table(name = "signing_key")
public class SigningKey implements org.springframework.data.domain.Persistable<String> {

    @Id
    private String kid;

    @Enumerated(EnumType.STRING)
    private SigningAlgorithm algorithm;

    @Enumerated(EnumType.STRING)
    private KeyState state;

    @Column(name = "public_jwk", columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    private String publicJwk;

    @Column(name = "private_key_ciphertext")
    private byte[] privateKeyCiphertext;

    @Column(name = "master_key_id")
    private String masterKeyId;

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "activated_at")
    private Instant activatedAt;

    @Column(name = "retired_at")
    private Instant retiredAt;

    @Column(name = "publish_until")
    private Instant publishUntil;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    @jakarta.persistence.Transient
    private boolean stored;

    protected SigningKey() {
    }

    SigningKey(String kid, SigningAlgorithm algorithm, KeyState state, String publicJwk, byte[] privateKeyCiphertext,
            String masterKeyId, Instant createdAt) {
        this.kid = kid;
        this.algorithm = algorithm;
        this.state = state;
        this.publicJwk = publicJwk;
        this.privateKeyCiphertext = privateKeyCiphertext;
        this.masterKeyId = masterKeyId;
        this.createdAt = createdAt;
        if (state == KeyState.active) {
            this.activatedAt = createdAt;
        }
    }

    void activate(Instant now) {
        this.state = KeyState.active;
        this.activatedAt = now;
    }

    void retire(Instant now, Instant publishUntil) {
        this.state = KeyState.retired;
        this.retiredAt = now;
        this.publishUntil = publishUntil;
    }

    void revoke(Instant now) {
        this.state = KeyState.revoked;
        this.revokedAt = now;
        this.publishUntil = null;
    }

    void reencrypt(byte[] ciphertext, String masterKeyId) {
        this.privateKeyCiphertext = ciphertext;
        this.masterKeyId = masterKeyId;
    }

    public String kid() {
        return kid;
    }

    public SigningAlgorithm algorithm() {
        return algorithm;
    }

    public KeyState state() {
        return state;
    }

    public String publicJwk() {
        return publicJwk;
    }

    byte[] privateKeyCiphertext() {
        return privateKeyCiphertext;
    }

    public String masterKeyId() {
        return masterKeyId;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant activatedAt() {
        return activatedAt;
    }

    public Instant retiredAt() {
        return retiredAt;
    }

    public Instant publishUntil() {
        return publishUntil;
    }

    public Instant revokedAt() {
        return revokedAt;
    }

    /** Assigned ids: new until persisted, so Spring Data inserts instead of merging (which would select first). */
    @Override
    public boolean isNew() {
        return !stored;
    }

    @jakarta.persistence.PostLoad
    @jakarta.persistence.PostPersist
    void markStored() {
        stored = true;
    }

    @Override
    public String getId() {
        return kid;
    }
}
