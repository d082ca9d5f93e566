package dev.ostiary.audit;

/**
 * Whether a user name belongs to an existing user, so the audit log can tell a real name from
 * whatever was typed into a login form. Declared here and implemented by the user feature, so that
 * auditing, which every feature uses, depends on none of them.
 */
@FunctionalInterface
public interface KnownUsers {

    boolean exists(String username);
}
