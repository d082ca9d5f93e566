package dev.ostiary.grant.devicecode;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2DeviceCode;
import org.springframework.security.oauth2.core.OAuth2UserCode;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.DefaultOAuth2TokenContext;

import dev.ostiary.support.GrantFixtures;

@Tag("unit")
class UserCodesTest {

    private final RegisteredClient client = GrantFixtures.implicitClient()
            .tokenSettings(TokenSettings.builder().deviceCodeTimeToLive(Duration.ofMinutes(7)).build()).build();

    @Test
    void whenGeneratedThenEightLettersOfTheAlphabetWithADash() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String code = UserCodes.newCode();
            assertThat(code).matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");
            seen.add(code);
        }
        assertThat(seen).hasSizeGreaterThan(1990);
    }

    @Test
    void whenGeneratedThenNoVowelNoDigitNoLookAlike() {
        for (char excluded : "AEIOUY0123456789".toCharArray()) {
            assertThat(UserCodes.ALPHABET).doesNotContain(String.valueOf(excluded));
        }
        assertThat(UserCodes.ALPHABET).hasSize(20);
    }

    @Test
    void whenTypedInLowerCaseWithSpacesOrWithoutDashThenSameCode() {
        assertThat(UserCodes.normalize("BCDF-GHJK")).contains("BCDF-GHJK");
        assertThat(UserCodes.normalize("bcdfghjk")).contains("BCDF-GHJK");
        assertThat(UserCodes.normalize(" bcdf ghjk ")).contains("BCDF-GHJK");
        assertThat(UserCodes.normalize("B-C-D-F-G-H-J-K")).contains("BCDF-GHJK");
        assertThat(UserCodes.normalize("bCdF\tgHjK")).contains("BCDF-GHJK");
    }

    @Test
    void whenNotACodeThenEmpty() {
        assertThat(UserCodes.normalize(null)).isEmpty();
        assertThat(UserCodes.normalize("")).isEmpty();
        assertThat(UserCodes.normalize("BCDF-GHJ")).isEmpty();
        assertThat(UserCodes.normalize("BCDF-GHJKL")).isEmpty();
        assertThat(UserCodes.normalize("BCDF-GHJA")).as("a vowel").isEmpty();
        assertThat(UserCodes.normalize("BCDF-GHJ1")).as("a digit").isEmpty();
        assertThat(UserCodes.normalize("BCDF_GHJK")).as("another separator").isEmpty();
        assertThat(UserCodes.normalize("ВCDF-GHJK")).as("a Cyrillic B").isEmpty();
        assertThat(UserCodes.normalize("B".repeat(65))).isEmpty();
    }

    @Test
    void whenSpringAsksForAUserCodeThenItLivesAsTheClientsDeviceCodes() {
        OAuth2UserCode code = new UserCodes(GrantFixtures.CLOCK).generate(context(OAuth2ParameterNames.USER_CODE));
        assertThat(code.getTokenValue()).matches("[A-Z]{4}-[A-Z]{4}");
        assertThat(code.getIssuedAt()).isEqualTo(GrantFixtures.CLOCK.instant());
        assertThat(code.getExpiresAt()).isEqualTo(GrantFixtures.CLOCK.instant().plus(Duration.ofMinutes(7)));
        assertThat(new UserCodes(GrantFixtures.CLOCK).generate(context(OAuth2ParameterNames.DEVICE_CODE))).isNull();
    }

    @Test
    void whenSpringAsksForADeviceCodeThen256RandomBits() {
        OAuth2DeviceCode code = new DeviceCodes(GrantFixtures.CLOCK).generate(context(OAuth2ParameterNames.DEVICE_CODE));
        assertThat(code.getTokenValue()).matches("[A-Za-z0-9_-]{43}");
        assertThat(code.getExpiresAt()).isEqualTo(GrantFixtures.CLOCK.instant().plus(Duration.ofMinutes(7)));
        assertThat(new DeviceCodes(GrantFixtures.CLOCK).generate(context(OAuth2ParameterNames.USER_CODE))).isNull();
    }

    private DefaultOAuth2TokenContext context(String type) {
        return DefaultOAuth2TokenContext.builder().registeredClient(client).tokenType(new OAuth2TokenType(type))
                .build();
    }
}
