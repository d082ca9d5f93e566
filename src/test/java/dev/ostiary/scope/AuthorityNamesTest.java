package dev.ostiary.scope;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

@Tag("unit")
class AuthorityNamesTest {

    @Test
    void whenRoleNameIsUpperCaseLettersDigitsAndUnderscoreThenValid() {
        assertThat(AuthorityNames.validRoleName("ADMIN")).isTrue();
        assertThat(AuthorityNames.validRoleName("BILLING_2")).isTrue();
        assertThat(AuthorityNames.validRoleName("A" + "B".repeat(49))).isTrue();
    }

    @Test
    void whenRoleNameIsLowerCaseStartsWithDigitTooLongOrNullThenInvalid() {
        assertThat(AuthorityNames.validRoleName("admin")).isFalse();
        assertThat(AuthorityNames.validRoleName("2FA")).isFalse();
        assertThat(AuthorityNames.validRoleName("A" + "B".repeat(50))).isFalse();
        assertThat(AuthorityNames.validRoleName("ROLE ADMIN")).isFalse();
        assertThat(AuthorityNames.validRoleName(null)).isFalse();
    }

    @Test
    void whenAuthoritiesMixRolesAndScopesThenRolesAreTheRoleNamesOnly() {
        assertThat(AuthorityNames.roles(List.of(new SimpleGrantedAuthority("ROLE_ADMIN"),
                new SimpleGrantedAuthority("SCOPE_profile"), new SimpleGrantedAuthority("ROLE_USER"))))
                .containsExactlyInAnyOrder("ADMIN", "USER");
    }

    @Test
    void whenAuthorityIsAScopeThenScopeOfDropsThePrefixOtherwiseKeepsIt() {
        assertThat(AuthorityNames.scopeOf("SCOPE_profile")).isEqualTo("profile");
        assertThat(AuthorityNames.scopeOf("openid")).isEqualTo("openid");
    }
}
