package dev.ostiary.logout;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Optional;

import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * Where the browser goes after signing out (OpenID Connect RP-Initiated Logout 1.0 §3): to a
 * {@code post_logout_redirect_uri} only if it is one of the client's registered ones, compared as
 * strings, exactly (no normalization, no prefix, no wildcard), with {@code state} added when given.
 */
public final class PostLogoutRedirects {

    /** Our own "You are signed out" page, for every logout that goes nowhere else. */
    public static final String SIGNED_OUT_PAGE = "/logout/done";

    private PostLogoutRedirects() {
    }

    public static boolean registered(Collection<String> registered, String uri) {
        return uri != null && !uri.isEmpty() && registered.contains(uri);
    }

    /** The redirect for {@code uri} if registered, with {@code state}; empty otherwise. */
    public static Optional<String> target(Collection<String> registered, String uri, String state) {
        if (!registered(registered, uri)) {
            return Optional.empty();
        }
        return Optional.of(withState(uri, state));
    }

    /** {@code uri} (already checked) with {@code state} as a query parameter, percent-encoded. */
    static String withState(String uri, String state) {
        UriComponentsBuilder builder = UriComponentsBuilder.fromUriString(uri);
        if (state != null && !state.isEmpty()) {
            builder.queryParam("state", UriUtils.encode(state, StandardCharsets.UTF_8));
        }
        return builder.build(true).toUriString();
    }
}
