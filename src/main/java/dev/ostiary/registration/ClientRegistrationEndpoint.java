package dev.ostiary.registration;

import java.net.URI;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.ostiary.client.ClientManagement;
import dev.ostiary.client.ClientView;
import dev.ostiary.grant.Grants;
import dev.ostiary.problem.InvalidRequestException;
import dev.ostiary.web.RequestBodyLimitFilter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Dynamic client registration (RFC 7591) with an initial access token from an administrator, and
 * client configuration (RFC 7592): read, replace and delete with the registration access token the
 * registration returned. Metadata uses the RFC's names; the legacy grants cannot be registered this
 * way.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7591">RFC 7591</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7592">RFC 7592</a>
 */
@RestController
class ClientRegistrationEndpoint {

    static final String PATH = "/oauth2/register";

    private final ClientManagement clients;
    private final RegistrationTokens tokens;
    private final AuthorizationServerSettings settings;
    private final JsonMapper json;
    private final RegistrationMetadata clientMetadata;

    ClientRegistrationEndpoint(ClientManagement clients, RegistrationTokens tokens, AuthorizationServerSettings settings,
            JsonMapper json, Grants grants) {
        this.clientMetadata = new RegistrationMetadata(grants);
        this.clients = clients;
        this.tokens = tokens;
        this.settings = settings;
        this.json = json;
    }

    /** An RFC 6750 / RFC 7591 error. */
    static class RegistrationError extends RuntimeException {
        final HttpStatus status;
        final String error;

        RegistrationError(HttpStatus status, String error, String description) {
            super(description);
            this.status = status;
            this.error = error;
        }
    }

    /**
     * The initial access token is checked before a byte of the body is read (the chain is
     * {@code permitAll}): an anonymous caller cannot make the server parse anything.
     */
    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> register(@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false)
            String authorization, HttpServletRequest request) {
        if (!tokens.spendInitial(bearer(authorization))) {
            throw new RegistrationError(HttpStatus.UNAUTHORIZED, "invalid_token",
                    "A valid initial access token is required");
        }
        Map<String, Object> metadata = metadata(request);
        ClientManagement.WithSecret created = clients.create(clientMetadata.toRequest(metadata, null), null,
                "registration");
        Map<String, Object> body = clientMetadata.describe(created.client());
        if (created.clientSecret() != null) {
            body.put("client_secret", created.clientSecret());
            body.put("client_secret_expires_at", 0);
        }
        body.put("registration_access_token", tokens.issueFor(created.client().clientId()));
        body.put("registration_client_uri", clientUri(created.client().clientId()));
        return ResponseEntity.status(HttpStatus.CREATED).header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Pragma", "no-cache").body(body);
    }

    @GetMapping(PATH + "/{clientId}")
    ResponseEntity<Map<String, Object>> read(@PathVariable String clientId,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        authorize(clientId, authorization);
        Map<String, Object> body = clientMetadata.describe(clients.get(clientId));
        body.put("registration_client_uri", clientUri(clientId));
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store").body(body);
    }

    @PutMapping(path = PATH + "/{clientId}", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> replace(@PathVariable String clientId,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            HttpServletRequest request) {
        authorize(clientId, authorization);
        Map<String, Object> metadata = metadata(request);
        Object sentId = metadata.get("client_id");
        if (sentId != null && !clientId.equals(sentId)) {
            throw new RegistrationError(HttpStatus.BAD_REQUEST, "invalid_client_metadata", "client_id cannot change");
        }
        ClientView updated = clients.update(clientId, clientMetadata.toRequest(metadata, clientId), "registration");
        Map<String, Object> body = clientMetadata.describe(updated);
        body.put("registration_access_token", tokens.issueFor(clientId));
        body.put("registration_client_uri", clientUri(clientId));
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store").body(body);
    }

    @DeleteMapping(PATH + "/{clientId}")
    ResponseEntity<Void> delete(@PathVariable String clientId,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        authorize(clientId, authorization);
        clients.delete(clientId, "registration");
        tokens.forget(clientId);
        return ResponseEntity.noContent().build();
    }

    @ExceptionHandler(RegistrationError.class)
    ResponseEntity<Map<String, String>> error(RegistrationError e) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status).header(HttpHeaders.CACHE_CONTROL, "no-store");
        if (e.status == HttpStatus.UNAUTHORIZED) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
        }
        return response.contentType(MediaType.APPLICATION_JSON).body(Map.of("error", e.error,
                "error_description", e.getMessage()));
    }

    /** RFC 7591 §3.2.2: a bad redirect URI has its own error code, anything else is bad metadata. */
    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<Map<String, String>> invalid(InvalidRequestException e) {
        boolean redirect = e.problems().stream().anyMatch(p -> p.field().startsWith("redirectUris"));
        String description = String.join("; ", e.problems().stream().map(p -> p.field() + " " + p.message()).toList());
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_JSON).header(HttpHeaders.CACHE_CONTROL,
                "no-store").body(Map.of("error", redirect ? "invalid_redirect_uri" : "invalid_client_metadata",
                        "error_description", description));
    }

    @ExceptionHandler(org.springframework.http.converter.HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, String>> unreadable() {
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_JSON).body(Map.of("error",
                "invalid_client_metadata", "error_description", "The body is not a JSON object"));
    }

    /** The body as a JSON object, read only now that the caller is known; bounded by the request limits. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> metadata(HttpServletRequest request) {
        try {
            Object body = json.readValue(request.getInputStream(), Object.class);
            if (body instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
        } catch (JacksonException e) {
            if (bodyTooLarge(e)) {
                throw new RegistrationError(HttpStatus.CONTENT_TOO_LARGE, "invalid_client_metadata",
                        "The request body is too large");
            }
        } catch (RequestBodyLimitFilter.BodyTooLargeException e) {
            throw new RegistrationError(HttpStatus.CONTENT_TOO_LARGE, "invalid_client_metadata",
                    "The request body is too large");
        } catch (java.io.IOException e) {
            throw new RegistrationError(HttpStatus.BAD_REQUEST, "invalid_client_metadata", "The body could not be read");
        }
        throw new RegistrationError(HttpStatus.BAD_REQUEST, "invalid_client_metadata", "The body is not a JSON object");
    }

    private static boolean bodyTooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RequestBodyLimitFilter.BodyTooLargeException
                    || t instanceof tools.jackson.core.exc.StreamConstraintsException) {
                return true;
            }
        }
        return false;
    }

    private void authorize(String clientId, String authorization) {
        String managed = tokens.clientOf(bearer(authorization)).orElse(null);
        if (managed == null || !managed.equals(clientId)) {
            // RFC 7592 §2: an unknown client or a wrong token look the same
            throw new RegistrationError(HttpStatus.UNAUTHORIZED, "invalid_token",
                    "A valid registration access token for this client is required");
        }
    }

    private static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).trim();
    }

    /** Under the configured issuer, or the one this request reached (as the discovery documents do). */
    private String clientUri(String clientId) {
        String issuer = settings.getIssuer() != null ? settings.getIssuer()
                : ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
        return URI.create(issuer + PATH + "/" + clientId).toString();
    }
}
