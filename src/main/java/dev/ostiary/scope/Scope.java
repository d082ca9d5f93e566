package dev.ostiary.scope;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.ostiary.persistence.StoredEntity;

/** A scope in the catalog: what it means to a person, and who may be granted it. */
@Entity
@Table(name = "scope")
public class Scope extends StoredEntity<String> {

    @Id
    private String name;

    private String description;

    @Column(name = "required_role")
    private String requiredRole;

    private String audience;

    private boolean mandatory;

    @Column(name = "requires_second_factor")
    private boolean requiresSecondFactor;


    protected Scope() {
    }

    public Scope(String name, String description, String requiredRole, String audience, boolean mandatory) {
        this.name = name;
        this.description = description;
        this.requiredRole = requiredRole;
        this.audience = audience;
        this.mandatory = mandatory;
    }

    public String getName() { return name; }
    public String getDescription() { return description; }
    public String getRequiredRole() { return requiredRole; }
    public String getAudience() { return audience; }
    public boolean isMandatory() { return mandatory; }
    public boolean isRequiresSecondFactor() { return requiresSecondFactor; }
    public Scope setRequiresSecondFactor(boolean v) { this.requiresSecondFactor = v; return this; }

    public Scope setDescription(String description) { this.description = description; return this; }
    public Scope setRequiredRole(String requiredRole) { this.requiredRole = requiredRole; return this; }
    public Scope setAudience(String audience) { this.audience = audience; return this; }
    public Scope setMandatory(boolean mandatory) { this.mandatory = mandatory; return this; }


    @Override
    public String getId() {
        return name;
    }
}
