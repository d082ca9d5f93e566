package dev.ostiary.account;

import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

import dev.ostiary.logout.SignOutEverywhere;
import dev.ostiary.problem.NotFoundException;
import dev.ostiary.user.UserAuthenticationProvider;
import dev.ostiary.user.UserManagement;

/**
 * A signed-in user changes their password on the account page.
 *
 * <p>The current password is checked by the login's own {@link UserAuthenticationProvider}: the same
 * per-name and per-address attempt counters ({@code abuse/FailureCounters#tryAttempt}, taken before
 * the hash is computed), the same lockout and the same audit entries. So a stolen session cannot be
 * used to guess the current password faster than the login form allows, however many requests arrive
 * at once, and a lock it causes locks the login too.
 *
 * <p>The new password keeps the rules of the admin API ({@link UserManagement}), checked before the
 * current one so a rule broken costs no attempt. After the change the user is signed out everywhere
 * but here, as Google does and Keycloak offers ("sign out other devices"): whoever knew the old
 * password may hold a session or a refresh token from it. Everywhere is {@link SignOutEverywhere}
 * (every session, every authorization, back-channel logout tokens to the clients); the session asking
 * is then started anew by the caller, with a new id.
 */
public class PasswordChange {

    /** How a change ended; everything but {@link #CHANGED} leaves the password as it was. */
    public enum Outcome {
        CHANGED, MISSING_CURRENT, WRONG_CURRENT, LOCKED, BUSY, NEW_UNACCEPTABLE, CONFIRMATION_DIFFERS, USER_GONE
    }

    private final UserAuthenticationProvider passwords;
    private final UserManagement users;
    private final SignOutEverywhere everywhere;

    public PasswordChange(UserAuthenticationProvider passwords, UserManagement users, SignOutEverywhere everywhere) {
        this.passwords = passwords;
        this.users = users;
        this.everywhere = everywhere;
    }

    public Outcome change(String username, String current, String proposed, String confirmation,
            HttpServletRequest request) {
        if (current == null || current.isEmpty()) {
            return Outcome.MISSING_CURRENT;
        }
        if (!UserManagement.acceptable(proposed)) {
            return Outcome.NEW_UNACCEPTABLE;
        }
        if (!Objects.equals(proposed, confirmation)) {
            return Outcome.CONFIRMATION_DIFFERS;
        }
        UsernamePasswordAuthenticationToken attempt = UsernamePasswordAuthenticationToken.unauthenticated(username,
                current);
        attempt.setDetails(new WebAuthenticationDetails(request));
        try {
            passwords.authenticate(attempt);
        } catch (LockedException e) {
            return Outcome.LOCKED;
        } catch (AuthenticationServiceException e) {
            return Outcome.BUSY; // not checked (the hashing line is full): nothing was counted
        } catch (AuthenticationException e) {
            return Outcome.WRONG_CURRENT;
        }
        try {
            users.changeOwnPassword(username, proposed);
        } catch (NotFoundException e) {
            return Outcome.USER_GONE; // deleted between the check and the change
        }
        everywhere.signOut(username, request.getRemoteAddr());
        return Outcome.CHANGED;
    }
}
