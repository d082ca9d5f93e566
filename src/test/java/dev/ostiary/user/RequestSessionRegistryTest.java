package dev.ostiary.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.lang.reflect.Field;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** The expiry check's registry answers for the request's own session from that session. */
@Tag("unit")
class RequestSessionRegistryTest {

    private final SessionRegistry registry = mock(SessionRegistry.class);
    private final RequestSessionRegistry forExpiryChecks = new RequestSessionRegistry(registry);
    private MockHttpSession session;

    @BeforeEach
    void requestWithSession() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        session = new MockHttpSession(null, "session-1");
        request.setSession(session);
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
    }

    @AfterEach
    void noRequest() {
        RequestContextHolder.resetRequestAttributes();
    }

    @Test
    void whenTheIdIsTheRequestsSessionThenItIsAnsweredFromItWithoutAskingTheRegistry() {
        session.setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY, new SecurityContextImpl(
                UsernamePasswordAuthenticationToken.authenticated("alice", null, AuthorityUtils.NO_AUTHORITIES)));

        SessionInformation information = forExpiryChecks.getSessionInformation("session-1");

        assertThat(information.getSessionId()).isEqualTo("session-1");
        assertThat(information.getPrincipal()).isEqualTo("alice");
        assertThat(information.isExpired()).isFalse();
        verifyNoInteractions(registry);
    }

    @Test
    void whenTheRequestsSessionCarriesSpringSessionsExpiredMarkerThenItIsExpired() {
        session.setAttribute(RequestSessionRegistry.EXPIRED_MARKER, true);

        SessionInformation information = forExpiryChecks.getSessionInformation("session-1");

        assertThat(information.isExpired()).isTrue();
        assertThat(information.getPrincipal()).isEqualTo("");
    }

    @Test
    void whenTheIdIsAnotherSessionsThenTheRegistryAnswers() {
        SessionInformation other = new SessionInformation("bob", "session-2", new java.util.Date());
        when(registry.getSessionInformation("session-2")).thenReturn(other);

        assertThat(forExpiryChecks.getSessionInformation("session-2")).isSameAs(other);
    }

    @Test
    void whenNoRequestIsBeingServedThenTheRegistryAnswers() {
        RequestContextHolder.resetRequestAttributes();

        forExpiryChecks.getSessionInformation("session-1");

        verify(registry).getSessionInformation("session-1");
    }

    @Test
    void whenSpringSessionMarksASessionExpiredThenItUsesTheMarkerCheckedHere() throws Exception {
        Field marker = Class.forName("org.springframework.session.security.SpringSessionBackedSessionInformation")
                .getDeclaredField("EXPIRED_ATTR");
        marker.setAccessible(true);

        assertThat(marker.get(null)).isEqualTo(RequestSessionRegistry.EXPIRED_MARKER);
    }
}
