package dev.ostiary.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * A request to a client-authenticated endpoint (token, introspection, revocation) that carried no
 * client authentication we understand: RFC 6749 §5.2 {@code invalid_client}, 401, as JSON.
 */
public class ClientEndpointsEntryPoint implements AuthenticationEntryPoint {

    private final OAuth2ErrorHttpMessageConverter errors = new OAuth2ErrorHttpMessageConverter();

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException authException) throws IOException {
        ServletServerHttpResponse http = new ServletServerHttpResponse(response);
        http.setStatusCode(HttpStatus.UNAUTHORIZED);
        errors.write(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, "Client authentication is required", null),
                null, http);
    }
}
