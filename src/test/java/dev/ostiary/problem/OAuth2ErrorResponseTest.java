package dev.ostiary.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockHttpServletResponse;

@Tag("unit")
class OAuth2ErrorResponseTest {

    @Test
    void whenAnErrorIsSentThenStatusNoStoreAndRfc6749JsonBody() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        OAuth2ErrorResponse.send(response, HttpStatus.TOO_MANY_REQUESTS, "too_many_requests", "Slow down");
        assertThat(response.getStatus()).isEqualTo(429);
        assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
        assertThat(response.getContentType()).startsWith("application/json");
        assertThat(response.getContentAsString())
                .contains("\"error\":\"too_many_requests\"", "\"error_description\":\"Slow down\"");
    }

    @Test
    void whenTheCallerSetHeadersBeforeThenTheyAreKept() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        response.setHeader("Retry-After", "5");
        response.setHeader("DPoP-Nonce", "n-1");
        OAuth2ErrorResponse.send(response, HttpStatus.BAD_REQUEST, "use_dpop_nonce", "nonce");
        assertThat(response.getHeader("Retry-After")).isEqualTo("5");
        assertThat(response.getHeader("DPoP-Nonce")).isEqualTo("n-1");
    }

    @Test
    void whenTheDescriptionHasQuotesThenTheBodyIsStillJson() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        OAuth2ErrorResponse.send(response, HttpStatus.BAD_REQUEST, "invalid_request", "a \"quoted\" word");
        assertThat(response.getContentAsString()).contains("a \\\"quoted\\\" word");
    }

    @Test
    void whenAStaleContentTypeWasSetThenTheErrorIsStillLabelledJson() throws Exception {
        // what DatabaseUnavailableFilter meets: a page had begun, resetBuffer() keeps its headers
        MockHttpServletResponse response = new MockHttpServletResponse();
        response.setContentType("text/html;charset=UTF-8");
        response.resetBuffer();
        OAuth2ErrorResponse.send(response, HttpStatus.SERVICE_UNAVAILABLE, "temporarily_unavailable", "x");
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getContentType()).startsWith("application/json");
        assertThat(response.getContentAsString()).contains("\"error\":\"temporarily_unavailable\"");
    }
}
