package dev.ostiary.user;

import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;

import dev.ostiary.persistence.StoredEntity;

/** A resource owner: someone who logs in and consents. */
@Entity
@Table(name = "app_user")
public class AppUser extends StoredEntity<UUID> {

    @Id
    private UUID id;

    private String username;

    @Column(name = "password_hash")
    private String passwordHash;

    private boolean enabled;

    private boolean locked;

    @Column(name = "legacy_grants_allowed")
    private boolean legacyGrantsAllowed;

    /** Lower-case, unique where set (V21); see {@link #normalizeEmail}. */
    private String email;

    @Column(name = "email_verified")
    private boolean emailVerified;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "user_role", joinColumns = @JoinColumn(name = "user_id"))
    @Column(name = "role")
    private Set<String> roles = new TreeSet<>();


    protected AppUser() {
    }

    public AppUser(String username, String passwordHash, Set<String> roles) {
        this.id = UUID.randomUUID();
        this.username = normalize(username);
        this.passwordHash = passwordHash;
        this.enabled = true;
        this.roles = new TreeSet<>(roles);
    }

    /** User names are case-insensitive: stored and looked up lower-case. */
    public static String normalize(String username) {
        return username == null ? null : username.trim().toLowerCase(java.util.Locale.ROOT);
    }

    /** E-mail addresses are compared case-insensitively: stored and looked up lower-case, trimmed. */
    public static String normalizeEmail(String email) {
        if (email == null) {
            return null;
        }
        String trimmed = email.trim().toLowerCase(java.util.Locale.ROOT);
        return trimmed.isEmpty() ? null : trimmed;
    }

    public UUID getId() { return id; }
    public String getUsername() { return username; }
    public String getPasswordHash() { return passwordHash; }
    public boolean isEnabled() { return enabled; }
    public Set<String> getRoles() { return Set.copyOf(roles); }
    public boolean isLocked() { return locked; }
    public boolean isLegacyGrantsAllowed() { return legacyGrantsAllowed; }
    public String getEmail() { return email; }
    public boolean isEmailVerified() { return emailVerified; }

    public AppUser setPasswordHash(String passwordHash) { this.passwordHash = passwordHash; return this; }
    public AppUser setEnabled(boolean enabled) { this.enabled = enabled; return this; }
    public AppUser setRoles(Set<String> roles) { this.roles = new TreeSet<>(roles); return this; }
    public AppUser setLocked(boolean locked) { this.locked = locked; return this; }
    public AppUser setLegacyGrantsAllowed(boolean allowed) { this.legacyGrantsAllowed = allowed; return this; }

    /** A new address starts unverified unless {@code verified} says its owner proved it. */
    public AppUser setEmail(String email, boolean verified) {
        this.email = normalizeEmail(email);
        this.emailVerified = this.email != null && verified;
        return this;
    }

}
