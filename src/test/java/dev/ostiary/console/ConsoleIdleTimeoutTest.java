package dev.ostiary.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

import dev.ostiary.support.TestClocks;

class ConsoleIdleTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(15);

    private final TestClocks.Movable clock = TestClocks.movable();
    private final List<String> signedOut = new ArrayList<>();
    private final ConsoleIdleTimeout filter = new ConsoleIdleTimeout(TIMEOUT, clock,
            (request, response, authentication) -> signedOut.add(authentication.getName()));
    private final MockHttpSession session = new MockHttpSession();

    @AfterEach
    void clearContext() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void whenRequestsComeWithinTheTimeoutThenEachPasses() throws Exception {
        signIn("bob");
        for (int i = 0; i < 5; i++) {
            assertThat(request().getRedirectedUrl()).isNull();
            clock.advance(TIMEOUT.minusMinutes(1));
        }
        assertThat(signedOut).isEmpty();
    }

    @Test
    void whenTheConsoleWasIdleLongerThanTheTimeoutThenTheOperatorIsSignedOutAndSentToSignIn() throws Exception {
        signIn("bob");
        request();
        clock.advance(TIMEOUT.plusSeconds(1));
        MockHttpServletResponse response = request();
        assertThat(signedOut).containsExactly("bob");
        assertThat(response.getRedirectedUrl()).isEqualTo(ConsoleIdleTimeout.SIGNED_OUT_PAGE);
    }

    @Test
    void whenTheLastRequestIsRecentThenTheTimeIsNotRewritten() throws Exception {
        signIn("bob");
        request();
        Object first = session.getAttribute(ConsoleIdleTimeout.LAST_SEEN);
        clock.advance(TIMEOUT.dividedBy(20));
        request();
        assertThat(session.getAttribute(ConsoleIdleTimeout.LAST_SEEN)).isEqualTo(first);
        clock.advance(TIMEOUT.dividedBy(10));
        request();
        assertThat(session.getAttribute(ConsoleIdleTimeout.LAST_SEEN)).isNotEqualTo(first);
    }

    @Test
    void whenNobodyIsSignedInThenNothingIsRecorded() throws Exception {
        MockHttpServletResponse response = request();
        assertThat(response.getRedirectedUrl()).isNull();
        assertThat(session.getAttribute(ConsoleIdleTimeout.LAST_SEEN)).isNull();
        assertThat(signedOut).isEmpty();
    }

    private void signIn(String name) {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(name,
                null, AuthorityUtils.createAuthorityList("ROLE_ADMIN")));
    }

    private MockHttpServletResponse request() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/admin/clients");
        request.setSession(session);
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response;
    }
}
