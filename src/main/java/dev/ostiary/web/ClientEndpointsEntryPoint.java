package dev.ostiary.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.web.AuthenticationEntryPoint;

import dev.ostiary.problem.OAuth2ErrorResponse;

/**
 * A request to a client-authenticated endpoint (token, introspection, revocation) that carried no
 * client authentication we understand: RFC 6749 §5.2 {@code invalid_client}, 401, as JSON.
 */
public class ClientEndpointsEntryPoint implements AuthenticationEntryPoint {

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException authException) throws IOException {
        OAuth2ErrorResponse.send(response, HttpStatus.UNAUTHORIZED, OAuth2ErrorCodes.INVALID_CLIENT,
                "Client authentication is required");
    }
}
