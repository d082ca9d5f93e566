package dev.ostiary.grant.devicecode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2DeviceCode;
import org.springframework.security.oauth2.core.OAuth2UserCode;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceCodeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceCodeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import dev.ostiary.support.GrantFixtures;
import dev.ostiary.support.InAuthorizationServerRequest;

/** The token endpoint's device_code rules around Spring's provider (RFC 8628 §3.4, §3.5). */
@Tag("unit")
@ExtendWith(InAuthorizationServerRequest.class)
class DeviceCodeTokenRequestsTest {

    private static final String DEVICE_CODE = "device-code-value";

    private final InMemoryOAuth2AuthorizationService authorizations = new InMemoryOAuth2AuthorizationService();
    private boolean pollTooEarly;
    private final DevicePolls polls = new DevicePolls(null, GrantFixtures.CLOCK, Duration.ofSeconds(5)) {
        @Override
        boolean tooEarly(String deviceCode, String clientId) {
            return pollTooEarly;
        }
    };
    private final DeviceCodeTokenRequests provider = new DeviceCodeTokenRequests(
            new OAuth2DeviceCodeAuthenticationProvider(authorizations, GrantFixtures.tokenGenerator()), polls,
            authorizations);
    private final RegisteredClient tv = GrantFixtures.implicitClient().id("id-tv").clientId("tv")
            .authorizationGrantTypes(grants -> grants.clear())
            .authorizationGrantType(AuthorizationGrantType.DEVICE_CODE).build();

    @Test
    void whenClientIsNotRegisteredForTheGrantThenUnauthorizedClient() {
        RegisteredClient other = GrantFixtures.implicitClient().build();
        authorizations.save(waiting(other, false, false));
        assertError(request(other), "unauthorized_client");
    }

    @Test
    void whenTheUserHasNotAnsweredThenAuthorizationPending() {
        authorizations.save(waiting(tv, false, false));
        assertError(request(tv), "authorization_pending");
    }

    @Test
    void whenPollingFasterThanTheIntervalThenSlowDown() {
        authorizations.save(waiting(tv, false, false));
        pollTooEarly = true;
        assertError(request(tv), "slow_down");
    }

    @Test
    void whenTheUserDeniedThenAccessDenied() {
        authorizations.save(waiting(tv, true, true));
        assertError(request(tv), "access_denied");
    }

    @Test
    void whenApprovedThenTokensOnceAndTheCodeAgainIsInvalidGrant() {
        authorizations.save(waiting(tv, true, false));
        OAuth2AccessTokenAuthenticationToken issued = (OAuth2AccessTokenAuthenticationToken) provider
                .authenticate(request(tv));
        assertThat(issued.getAccessToken().getScopes()).containsExactly("read");
        assertError(request(tv), "invalid_grant");
    }

    /** A parallel poll that lost the redemption: the code is invalidated, the winner's token not yet stored. */
    @Test
    void whenApprovedCodeIsInvalidatedBeforeItsTokenIsStoredThenInvalidGrantNotAccessDenied() {
        OAuth2Authorization approved = waiting(tv, true, false);
        authorizations.save(OAuth2Authorization.from(approved).invalidate(approved.getToken(OAuth2DeviceCode.class)
                .getToken()).build());
        assertError(request(tv), "invalid_grant");
    }

    @Test
    void whenTheCodeIsUnknownThenInvalidGrant() {
        assertError(request(tv), "invalid_grant");
    }

    @Test
    void whenTheCodeExpiredThenExpiredToken() {
        Instant past = Instant.now().minus(Duration.ofMinutes(10));
        authorizations.save(OAuth2Authorization.withRegisteredClient(tv).principalName(tv.getClientId())
                .authorizationGrantType(AuthorizationGrantType.DEVICE_CODE)
                .token(new OAuth2DeviceCode(DEVICE_CODE, past, past.plus(Duration.ofMinutes(5))))
                .token(new OAuth2UserCode("BCDF-GHJK", past, past.plus(Duration.ofMinutes(5))))
                .build());
        assertError(request(tv), "expired_token");
    }

    /** A device authorization of {@code client}, answered by alice or not yet. */
    private static OAuth2Authorization waiting(RegisteredClient client, boolean answered, boolean denied) {
        Instant now = Instant.now();
        OAuth2DeviceCode deviceCode = new OAuth2DeviceCode(DEVICE_CODE, now, now.plus(Duration.ofMinutes(5)));
        OAuth2UserCode userCode = new OAuth2UserCode("BCDF-GHJK", now, now.plus(Duration.ofMinutes(5)));
        OAuth2Authorization.Builder builder = OAuth2Authorization.withRegisteredClient(client)
                .principalName(answered ? "alice" : client.getClientId())
                .authorizationGrantType(AuthorizationGrantType.DEVICE_CODE)
                .token(deviceCode, m -> m.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME, denied))
                .token(userCode, m -> m.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME, answered));
        if (answered) {
            builder.attribute(Principal.class.getName(), GrantFixtures.user("alice"));
        }
        if (answered && !denied) {
            // approval sets the authorized scopes; a denial (ours or Spring's) sets none
            builder.authorizedScopes(Set.of("read"));
        }
        return builder.build();
    }

    private static OAuth2DeviceCodeAuthenticationToken request(RegisteredClient client) {
        return new OAuth2DeviceCodeAuthenticationToken(DEVICE_CODE, GrantFixtures.authenticated(client), Map.of());
    }

    private void assertError(OAuth2DeviceCodeAuthenticationToken request, String error) {
        assertThatThrownBy(() -> provider.authenticate(request))
                .isInstanceOfSatisfying(OAuth2AuthenticationException.class,
                        e -> assertThat(e.getError().getErrorCode()).isEqualTo(error));
    }
}
