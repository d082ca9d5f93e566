package dev.ostiary.grant.devicecode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceVerificationAuthenticationToken;

@Tag("unit")
class UserCodeEntryTest {

    private final UserCodeEntry entry = new UserCodeEntry();

    private static MockHttpServletRequest entered(String code, String fetchSite) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/oauth2/device_verification");
        request.addParameter("user_code", code);
        if (fetchSite != null) {
            request.addHeader("Sec-Fetch-Site", fetchSite);
        }
        return request;
    }

    @Test
    void whenTypedOnOurPageThenTheNormalizedCodeIsLookedUp() {
        var token = (OAuth2DeviceVerificationAuthenticationToken) entry.convert(entered("bcdf ghjk", "same-origin"));
        assertThat(token.getUserCode()).isEqualTo("BCDF-GHJK");
    }

    @Test
    void whenTheBrowserSendsNoFetchMetadataThenTheCodeIsLookedUp() {
        assertThat(entry.convert(entered("BCDF-GHJK", null))).isNotNull();
    }

    /** Another site could otherwise make a signed-in user's browser enter wrong codes until the user is locked out. */
    @Test
    void whenAnotherSiteSentTheEntryThenItIsOnlyShownOnOurPageNotLookedUp() {
        for (String site : new String[] {"cross-site", "same-site"}) {
            assertThatThrownBy(() -> entry.convert(entered("BCDF-GHJK", site)))
                    .isInstanceOfSatisfying(OAuth2AuthenticationException.class, e -> assertThat(
                            e.getError().getErrorCode()).isEqualTo(UserCodeEntry.CONFIRM_ON_OUR_PAGE));
        }
    }

    @Test
    void whenTheCodeCannotBeACodeThenInvalidRequest() {
        assertThatThrownBy(() -> entry.convert(entered("not a code!", "cross-site")))
                .isInstanceOfSatisfying(OAuth2AuthenticationException.class,
                        e -> assertThat(e.getError().getErrorCode()).isEqualTo("invalid_request"));
    }
}
