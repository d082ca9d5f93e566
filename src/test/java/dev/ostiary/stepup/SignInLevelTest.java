package dev.ostiary.stepup;

import static dev.ostiary.stepup.StepUpFixtures.NOW;
import static dev.ostiary.stepup.StepUpFixtures.signIn;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

import dev.ostiary.login.Factors;

@Tag("unit")
class SignInLevelTest {

    @Test
    void ofWhenPasswordOnlyThenLoa1Pwd() {
        SignInLevel level = SignInLevel.of(signIn(Factors.PASSWORD, NOW));

        assertThat(level.acr()).isEqualTo("urn:ostiary:loa:1");
        assertThat(level.amr()).containsExactly("pwd");
        assertThat(level.authTime()).isEqualTo(NOW);
        assertThat(level.rank()).isEqualTo(1);
    }

    @Test
    void ofWhenPasswordAndTotpThenLoa2PwdOtpMfaAtTheLaterFactor() {
        SignInLevel level = SignInLevel.of(signIn(Factors.PASSWORD, NOW.minusSeconds(30), Factors.TOTP, NOW));

        assertThat(level.acr()).isEqualTo("urn:ostiary:loa:2");
        assertThat(level.amr()).containsExactly("pwd", "otp", "mfa");
        assertThat(level.authTime()).isEqualTo(NOW);
    }

    @Test
    void ofWhenPasswordAndRecoveryCodeThenOtp() {
        SignInLevel level = SignInLevel.of(signIn(Factors.PASSWORD, NOW, Factors.RECOVERY_CODE, NOW));

        assertThat(level.acr()).isEqualTo(SignInLevel.LOA_2);
        assertThat(level.amr()).containsExactly("pwd", "otp", "mfa");
    }

    @Test
    void ofWhenPasskeyAloneThenLoa2Hwk() {
        SignInLevel level = SignInLevel.of(signIn(Factors.WEBAUTHN, NOW));

        assertThat(level.acr()).isEqualTo(SignInLevel.LOA_2);
        assertThat(level.amr()).containsExactly("hwk");
    }

    @Test
    void ofWhenPasswordAndPasskeyThenPwdHwkMfa() {
        SignInLevel level = SignInLevel.of(signIn(Factors.PASSWORD, NOW, Factors.WEBAUTHN, NOW));

        assertThat(level.amr()).containsExactly("pwd", "hwk", "mfa");
        assertThat(level.rank()).isEqualTo(2);
    }

    @Test
    void ofWhenTotpWithoutPasswordThenOneFactor() {
        assertThat(SignInLevel.of(signIn(Factors.TOTP, NOW)).acr()).isEqualTo(SignInLevel.LOA_1);
    }

    @Test
    void ofWhenNoFactorAuthoritiesThenNoLevel() {
        SignInLevel level = SignInLevel.of(UsernamePasswordAuthenticationToken.authenticated("bob", null,
                AuthorityUtils.createAuthorityList("ROLE_USER")));

        assertThat(level.acr()).isNull();
        assertThat(level.amr()).isEmpty();
        assertThat(level.authTime()).isNull();
        assertThat(level.rank()).isZero();
        assertThat(SignInLevel.of(null)).isEqualTo(SignInLevel.none());
    }

    @Test
    void rankOfWhenForeignOrGarbageThenZero() {
        assertThat(SignInLevel.rankOf("urn:ostiary:loa:1")).isEqualTo(1);
        assertThat(SignInLevel.rankOf("urn:ostiary:loa:2")).isEqualTo(2);
        assertThat(SignInLevel.rankOf("urn:ostiary:loa:3")).isZero();
        assertThat(SignInLevel.rankOf("phr")).isZero();
        assertThat(SignInLevel.rankOf(null)).isZero();
    }

    @Test
    void primaryFactorAtWhenReauthenticatedWithPasswordThenThePasswordTimeNotTheOlderTotp() {
        assertThat(SignInLevel.primaryFactorAt(signIn(Factors.TOTP, NOW.minusSeconds(600), Factors.PASSWORD, NOW)))
                .isEqualTo(NOW);
        assertThat(SignInLevel.primaryFactorAt(signIn(Factors.TOTP, NOW))).isNull();
    }
}
