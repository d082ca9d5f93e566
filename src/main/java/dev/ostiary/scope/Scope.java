package dev.ostiary.scope;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Table;

/** A scope in the catalog: what it means to a person, and who may be granted it. */
@Entity
@Table(name = "scope")
public class Scope implements org.springframework.data.domain.Persistable<String> {

    @Id
    private String name;

    private String description;

    @Column(name = "required_role")
    private String requiredRole;

    private String audience;

    private boolean mandatory;

    @Column(name = "created_at")
    private Instant createdAt;

    @Column(name = "updated_at")
    private Instant updatedAt;

    protected Scope() {
    }

    public Scope(String name, String description, String requiredRole, String audience, boolean mandatory) {
        this.name = name;
        this.description = description;
        this.requiredRole = requiredRole;
        this.audience = audience;
        this.mandatory = mandatory;
    }

    @PrePersist
    void onCreate() {
        createdAt = Instant.now();
        updatedAt = createdAt;
    }

    @PreUpdate
    void onUpdate() {
        updatedAt = Instant.now();
    }

    public String getName() { return name; }
    public String getDescription() { return description; }
    public String getRequiredRole() { return requiredRole; }
    public String getAudience() { return audience; }
    public boolean isMandatory() { return mandatory; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }

    public Scope setDescription(String description) { this.description = description; return this; }
    public Scope setRequiredRole(String requiredRole) { this.requiredRole = requiredRole; return this; }
    public Scope setAudience(String audience) { this.audience = audience; return this; }
    public Scope setMandatory(boolean mandatory) { this.mandatory = mandatory; return this; }

    /** Assigned ids: new until persisted, so Spring Data inserts instead of merging (which would select first). */
    @Override
    public boolean isNew() {
        return createdAt == null;
    }

    @Override
    public String getId() {
        return name;
    }
}
