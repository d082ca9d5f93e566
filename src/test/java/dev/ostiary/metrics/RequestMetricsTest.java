package dev.ostiary.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

import jakarta.servlet.http.HttpServletResponse;

/** The two meters the overview samples: token requests (by the endpoint's matcher) and 429 answers. */
class RequestMetricsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RequestMetrics metrics = new RequestMetrics(
            PathPatternRequestMatcher.withDefaults().matcher(org.springframework.http.HttpMethod.POST, "/oauth2/token"),
            meters);

    @Test
    void whenTheTokenEndpointIsAskedThenItIsTimedAndOtherPathsAreNot() throws Exception {
        run("POST", "/oauth2/token", 200);
        run("POST", "/oauth2/token", 400);
        run("GET", "/oauth2/token", 405);
        run("POST", "/oauth2/introspect", 200);
        assertThat(metrics.tokenRequestsSoFar()).isEqualTo(2);
        assertThat(meters.get(RequestMetrics.TOKEN_LATENCY).timer().count()).isEqualTo(2);
        assertThat(metrics.tokenP99Millis()).isGreaterThanOrEqualTo(0.0);
    }

    @Test
    void whenAnyAnswerIs429ThenTheCounterMovesAndOthersDoNot() throws Exception {
        run("POST", "/oauth2/token", 429);
        run("GET", "/login", 429);
        run("GET", "/login", 200);
        run("GET", "/login", 503);
        assertThat(metrics.rateLimitedSoFar()).isEqualTo(2);
        assertThat(meters.get(RequestMetrics.RATE_LIMITED).counter().count()).isEqualTo(2.0);
    }

    private void run(String method, String path, int status) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.setServletPath(path);
        MockHttpServletResponse response = new MockHttpServletResponse();
        metrics.doFilter(request, response, new MockFilterChain() {
            @Override
            public void doFilter(jakarta.servlet.ServletRequest req, jakarta.servlet.ServletResponse res) {
                ((HttpServletResponse) res).setStatus(status);
            }
        });
        assertThat(response.getStatus()).isEqualTo(status);
    }
}
