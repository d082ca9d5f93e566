package dev.ostiary.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;

import org.springframework.data.domain.Persistable;

/**
 * What every entity Ostiary stores has: when its row was created and last updated, and, because
 * Ostiary assigns the ids itself, whether it was stored yet. New until persisted, so Spring Data
 * inserts instead of merging (a merge would select the row first).
 *
 * @param <I> the id's type
 */
@MappedSuperclass
public abstract class StoredEntity<I> implements Persistable<I> {

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "updated_at")
    private Instant updatedAt;

    @PrePersist
    void onCreate() {
        createdAt = Instant.now();
        updatedAt = createdAt;
    }

    @PreUpdate
    void onUpdate() {
        updatedAt = Instant.now();
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    @Override
    public boolean isNew() {
        return createdAt == null;
    }
}
