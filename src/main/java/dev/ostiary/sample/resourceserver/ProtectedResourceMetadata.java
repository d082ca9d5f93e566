package dev.ostiary.sample.resourceserver;

import java.io.IOException;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.OAuth2ProtectedResourceMetadata.Builder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.DPoPAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * RFC 9728 for the sample API: what its {@code /.well-known/oauth-protected-resource} says (served
 * by Spring Security's metadata filter, told here what to say), and the {@code resource_metadata}
 * parameter that every 401 and 403 challenge carries (§5.1), so a client that knows nothing but
 * this API's URL finds its authorization server from a first 401. Both name the configured
 * resource identifier, never one made from the request's Host header: a forged Host must not point
 * clients at another metadata document.
 */
final class ProtectedResourceMetadata {

    static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";
    /** The algorithms Spring's DPoP proof verification accepts (its DPoPAuthenticationEntryPoint's {@code algs}). */
    static final List<String> DPOP_ALGORITHMS = List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512");

    private final SampleApiProperties properties;
    private final String metadataUrl;

    ProtectedResourceMetadata(SampleApiProperties properties) {
        URI resource = URI.create(properties.resource());
        if (!resource.isAbsolute() || resource.getRawFragment() != null || resource.getRawQuery() != null
                || (resource.getRawPath() != null && !resource.getRawPath().isEmpty()
                        && !resource.getRawPath().equals("/"))) {
            // with a path, the metadata would live at /.well-known/oauth-protected-resource/<path> (§3.1)
            throw new IllegalStateException("sample.resource must be an absolute URL without path, query or fragment");
        }
        this.properties = properties;
        String base = properties.resource().endsWith("/")
                ? properties.resource().substring(0, properties.resource().length() - 1) : properties.resource();
        this.metadataUrl = base + WELL_KNOWN;
    }

    String metadataUrl() {
        return metadataUrl;
    }

    /** The document (RFC 9728 §2): Spring fills {@code bearer_methods_supported}. */
    Consumer<Builder> document(Collection<String> scopes) {
        return metadata -> metadata.resource(properties.resource())
                .authorizationServer(properties.issuerUri())
                .scopes(list -> list.addAll(scopes))
                .resourceName(properties.resourceName())
                // Spring says true by default; this API does not bind tokens to TLS certificates (RFC 8705)
                .tlsClientCertificateBoundAccessTokens(false)
                // Authorization: DPoP with a proof is accepted, and so is a plain Bearer token (RFC 9449 §7)
                .claim("dpop_signing_alg_values_supported", DPOP_ALGORITHMS)
                .claim("dpop_bound_access_tokens_required", false);
    }

    /** Spring's Bearer challenge (401), with {@code resource_metadata} naming our document. */
    AuthenticationEntryPoint bearerChallenges() {
        BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
        bearer.setResourceMetadataParameterResolver(request -> metadataUrl);
        return bearer;
    }

    /** Spring's DPoP challenge (401 {@code DPoP algs=…}), which has no such parameter, with it added. */
    AuthenticationFailureHandler dPoPChallenges() {
        DPoPAuthenticationEntryPoint dpop = new DPoPAuthenticationEntryPoint();
        return (HttpServletRequest request, HttpServletResponse response, AuthenticationException failure) -> {
            dpop.commence(request, response, failure);
            withResourceMetadata(response);
        };
    }

    /** The challenge written by our own 403 handler: {@code Bearer error=…} plus the parameter. */
    String withResourceMetadata(String challenge) {
        // auth-scheme [ 1*SP auth-param *( "," auth-param ) ] (RFC 9110 §11.3)
        return challenge + (challenge.trim().contains(" ") ? ", " : " ") + "resource_metadata=\"" + metadataUrl + "\"";
    }

    private void withResourceMetadata(HttpServletResponse response) throws IOException, ServletException {
        Collection<String> challenges = List.copyOf(response.getHeaders(HttpHeaders.WWW_AUTHENTICATE));
        boolean first = true;
        for (String challenge : challenges) {
            String extended = challenge.contains("resource_metadata=") ? challenge : withResourceMetadata(challenge);
            if (first) {
                response.setHeader(HttpHeaders.WWW_AUTHENTICATE, extended);
                first = false;
            } else {
                response.addHeader(HttpHeaders.WWW_AUTHENTICATE, extended);
            }
        }
    }
}
