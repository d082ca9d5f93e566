package dev.ostiary.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;

import dev.ostiary.logout.SignOutEverywhere;
import dev.ostiary.problem.NotFoundException;
import dev.ostiary.user.PooledArgon2PasswordEncoder;
import dev.ostiary.user.UserAuthenticationProvider;
import dev.ostiary.user.UserManagement;

/**
 * The order of a password change: the cheap rules first (no attempt counted for them), then the
 * current password through the login's provider (its lockout), then the change, then everywhere else
 * signed out.
 */
@Tag("unit")
class PasswordChangeTest {

    private final UserAuthenticationProvider provider = mock(UserAuthenticationProvider.class);
    private final UserManagement users = mock(UserManagement.class);
    private final SignOutEverywhere everywhere = mock(SignOutEverywhere.class);
    private final PasswordChange change = new PasswordChange(provider, users, everywhere);
    private final MockHttpServletRequest request = request();

    @Test
    void whenCurrentIsRightThenChangedAndSignedOutEverywhere() {
        when(provider.authenticate(any())).thenReturn(signedIn());
        assertThat(change.change("alice", "old-password", "new-password", "new-password", request))
                .isEqualTo(PasswordChange.Outcome.CHANGED);
        verify(users).changeOwnPassword("alice", "new-password");
        verify(everywhere).signOut("alice", "203.0.113.7");
    }

    @Test
    void whenCurrentIsCheckedThenWithTheRequestsAddressForTheLockout() {
        when(provider.authenticate(any())).thenAnswer(invocation -> {
            Authentication attempt = invocation.getArgument(0);
            assertThat(attempt.getName()).isEqualTo("alice");
            assertThat(attempt.getDetails()).hasFieldOrPropertyWithValue("remoteAddress", "203.0.113.7");
            return signedIn();
        });
        change.change("alice", "old-password", "new-password", "new-password", request);
        verify(provider).authenticate(any(UsernamePasswordAuthenticationToken.class));
    }

    @Test
    void whenNewPasswordIsTooShortThenCurrentIsNotCheckedAndNothingCounted() {
        assertThat(change.change("alice", "old-password", "short", "short", request))
                .isEqualTo(PasswordChange.Outcome.NEW_UNACCEPTABLE);
        verifyNoInteractions(provider, users, everywhere);
    }

    @Test
    void whenNewPasswordIsTooLongThenUnacceptable() {
        String tooLong = "x".repeat(UserManagement.MAX_PASSWORD_LENGTH + 1);
        assertThat(change.change("alice", "old-password", tooLong, tooLong, request))
                .isEqualTo(PasswordChange.Outcome.NEW_UNACCEPTABLE);
        verifyNoInteractions(provider);
    }

    @Test
    void whenConfirmationDiffersThenNothingChecked() {
        assertThat(change.change("alice", "old-password", "new-password", "new-passwort", request))
                .isEqualTo(PasswordChange.Outcome.CONFIRMATION_DIFFERS);
        verifyNoInteractions(provider, users, everywhere);
    }

    @Test
    void whenCurrentIsMissingThenNothingChecked() {
        assertThat(change.change("alice", "", "new-password", "new-password", request))
                .isEqualTo(PasswordChange.Outcome.MISSING_CURRENT);
        verifyNoInteractions(provider);
    }

    @Test
    void whenCurrentIsWrongThenUnchanged() {
        when(provider.authenticate(any())).thenThrow(new BadCredentialsException("Invalid username or password"));
        assertThat(change.change("alice", "guess", "new-password", "new-password", request))
                .isEqualTo(PasswordChange.Outcome.WRONG_CURRENT);
        verify(users, never()).changeOwnPassword(anyString(), anyString());
        verifyNoInteractions(everywhere);
    }

    @Test
    void whenLockedThenLockedAndUnchanged() {
        when(provider.authenticate(any())).thenThrow(new LockedException("Too many failed attempts"));
        assertThat(change.change("alice", "old-password", "new-password", "new-password", request))
                .isEqualTo(PasswordChange.Outcome.LOCKED);
        verifyNoInteractions(users, everywhere);
    }

    @Test
    void whenPasswordChecksAreBusyThenBusy() {
        when(provider.authenticate(any())).thenThrow(new PooledArgon2PasswordEncoder.PasswordChecksBusyException());
        assertThat(change.change("alice", "old-password", "new-password", "new-password", request))
                .isEqualTo(PasswordChange.Outcome.BUSY);
        verifyNoInteractions(users, everywhere);
    }

    @Test
    void whenUserIsDeletedMidChangeThenGoneAndNobodySignedOut() {
        when(provider.authenticate(any())).thenReturn(signedIn());
        doThrow(new NotFoundException("user alice")).when(users).changeOwnPassword(eq("alice"), anyString());
        assertThat(change.change("alice", "old-password", "new-password", "new-password", request))
                .isEqualTo(PasswordChange.Outcome.USER_GONE);
        verifyNoInteractions(everywhere);
    }

    private static Authentication signedIn() {
        return UsernamePasswordAuthenticationToken.authenticated("alice", null, java.util.List.of());
    }

    private static MockHttpServletRequest request() {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/account/password");
        request.setRemoteAddr("203.0.113.7");
        return request;
    }
}
