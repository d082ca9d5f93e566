package dev.ostiary.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

import dev.ostiary.problem.OAuth2ErrorResponse;

/**
 * The token, introspection and revocation endpoints take POST only (RFC 6749 §3.2): anything else
 * gets a 405 with an RFC 6749 error body rather than a login redirect or an empty 404.
 */
@RestController
class WrongMethodController {

    @RequestMapping(path = { "/oauth2/token", "/oauth2/introspect", "/oauth2/revoke" },
            method = { RequestMethod.GET, RequestMethod.PUT, RequestMethod.DELETE, RequestMethod.PATCH })
    void postOnly(HttpServletResponse response) throws IOException {
        response.setHeader(HttpHeaders.ALLOW, "POST");
        OAuth2ErrorResponse.send(response, HttpStatus.METHOD_NOT_ALLOWED, OAuth2ErrorCodes.INVALID_REQUEST,
                "This endpoint accepts POST only");
    }
}
