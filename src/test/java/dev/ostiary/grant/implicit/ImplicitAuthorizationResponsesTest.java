package dev.ostiary.grant.implicit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.support.GrantFixtures;
import dev.ostiary.support.InAuthorizationServerRequest;
import dev.ostiary.token.IssuedTokenAudit;

/** Review §2.9: an implicit token is audited as {@code token.issued}, as the token endpoint's are. */
@Tag("unit")
@ExtendWith(InAuthorizationServerRequest.class)
class ImplicitAuthorizationResponsesTest {

    private final List<Object> published = new ArrayList<>();
    private final ImplicitAuthorizationResponses responses = new ImplicitAuthorizationResponses("/oauth2/consent",
            new IssuedTokenAudit(published::add, GrantFixtures.grants(), GrantFixtures.CLOCK));
    private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/oauth2/authorize");
    private final MockHttpServletResponse response = new MockHttpServletResponse();

    @BeforeEach
    void inARequest() {
        request.setRemoteAddr("192.0.2.7");
    }

    @Test
    void sendSuccessWhenTokenIssuedThenFragmentAndTokenIssuedEventForTheUser() throws Exception {
        OAuth2AccessToken token = GrantFixtures.accessToken("alice", Set.of("read"));

        boolean sent = responses.sendSuccess(request, response, new ImplicitAccessTokenAuthenticationToken(
                GrantFixtures.user("alice"), "spa", token, GrantFixtures.REDIRECT_URI, "xyz"));

        assertThat(sent).isTrue();
        assertThat(response.getRedirectedUrl()).startsWith(GrantFixtures.REDIRECT_URI + "#access_token=")
                .contains("&token_type=Bearer&").contains("&scope=read&state=xyz&iss=");
        assertThat(published).singleElement().isInstanceOfSatisfying(AuditEvent.class, event -> {
            assertThat(event.type()).isEqualTo(AuditEventType.TOKEN_ISSUED);
            assertThat(event.clientId()).isEqualTo("spa");
            assertThat(event.username()).isEqualTo("alice");
            assertThat(event.sourceIp()).isEqualTo("192.0.2.7");
            assertThat(event.occurredAt()).isEqualTo(GrantFixtures.CLOCK.instant());
            assertThat(event.details()).containsEntry("grantType", "implicit").containsEntry("scopes", "read")
                    .containsEntry("refreshToken", false);
        });
    }

    @Test
    void sendFailureWhenRedirectUriKnownThenErrorInTheFragmentAndNoEvent() throws Exception {
        boolean sent = responses.sendFailure(request, response, new ImplicitAuthorizationException(
                OAuth2ErrorCodes.ACCESS_DENIED, "The user denied the request", GrantFixtures.REDIRECT_URI, "xyz"));

        assertThat(sent).isTrue();
        assertThat(response.getRedirectedUrl()).isEqualTo(GrantFixtures.REDIRECT_URI
                + "#error=access_denied&error_description=The%20user%20denied%20the%20request&state=xyz&iss="
                + "https%3A%2F%2Fostiary.example");
        assertThat(published).isEmpty();
    }

    @Test
    void sendSuccessWhenNotAnImplicitOutcomeThenLeftToTheCodeFlow() throws Exception {
        assertThat(responses.sendSuccess(request, response, GrantFixtures.user("alice"))).isFalse();
        assertThat(response.getRedirectedUrl()).isNull();
    }
}
