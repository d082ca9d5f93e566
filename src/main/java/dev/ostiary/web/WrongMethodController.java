package dev.ostiary.web;

import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * The token, introspection and revocation endpoints take POST only (RFC 6749 §3.2): anything else
 * gets a 405 with an RFC 6749 error body rather than a login redirect or an empty 404.
 */
@RestController
class WrongMethodController {

    @RequestMapping(path = { "/oauth2/token", "/oauth2/introspect", "/oauth2/revoke" },
            method = { RequestMethod.GET, RequestMethod.PUT, RequestMethod.DELETE, RequestMethod.PATCH })
    ResponseEntity<Map<String, String>> postOnly() {
        return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
                .header(HttpHeaders.ALLOW, "POST")
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", "invalid_request", "error_description", "This endpoint accepts POST only"));
    }
}
