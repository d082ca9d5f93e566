package dev.ostiary.problem;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;

/**
 * The one writer of RFC 6749 §5.2 error bodies outside Spring Authorization Server's own endpoints
 * (filters, entry points, handlers that answer before or beside them): the same
 * {@link OAuth2ErrorHttpMessageConverter} Spring Authorization Server writes its errors with, so an
 * error JSON looks the same whoever refuses the request. Headers the caller set on the response
 * ({@code WWW-Authenticate}, {@code Retry-After}, {@code DPoP-Nonce}, {@code Allow}) are kept; the
 * Content-Type is always {@code application/json}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.2">RFC 6749 §5.2</a>
 */
public final class OAuth2ErrorResponse {

    private static final HttpMessageConverter<OAuth2Error> CONVERTER = new OAuth2ErrorHttpMessageConverter();

    private OAuth2ErrorResponse() {
    }

    /** Writes {@code {"error": …, "error_description": …}} with the status; never cached (RFC 6749 §5.1). */
    public static void send(HttpServletResponse response, HttpStatus status, String error, String description)
            throws IOException {
        send(response, status, new OAuth2Error(error, description, null));
    }

    public static void send(HttpServletResponse response, HttpStatus status, OAuth2Error error) throws IOException {
        ServletServerHttpResponse http = new ServletServerHttpResponse(response);
        http.setStatusCode(status);
        http.getHeaders().set(HttpHeaders.CACHE_CONTROL, "no-store");
        // set here, not left to the converter: it keeps a Content-Type already on the response (a
        // filter that reset the buffer of a text/html answer), and the body is JSON whatever came before
        http.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        CONVERTER.write(error, MediaType.APPLICATION_JSON, http);
    }
}
