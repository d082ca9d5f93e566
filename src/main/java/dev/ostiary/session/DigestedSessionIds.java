package dev.ostiary.session;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.session.SessionIdGenerator;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import dev.ostiary.crypto.Digests;
import dev.ostiary.crypto.RandomTokens;

/**
 * The session store keeps a digest of each session id, never the id the browser holds, so a dump of
 * {@code spring_session} (or a read of it through SQL injection) yields no cookie that signs anybody
 * in: the same rule as for tokens, whose rows hold SHA-256 digests. Spring Session has no such option,
 * so the two ends of it are ours:
 * <ul>
 * <li>{@link #generator()}: a new session's cookie value is 256 random bits; its id in the store is
 * their SHA-256 (base64url, cut to the 36 characters of {@code spring_session.session_id}, 216 bits:
 * far beyond guessing, and a digest, so nothing leads back). The cookie value waits in the request
 * until the response writes the cookie.</li>
 * <li>{@link #cookies(CookieSerializer)}: around Boot's cookie serializer (SameSite, Secure,
 * HttpOnly stay its settings). Reading, each cookie value becomes its digest; writing, the stored id
 * becomes the cookie value generated for it in this request, and nothing is written for an id that
 * was not generated here.</li>
 * </ul>
 */
public final class DigestedSessionIds {

    private static final Logger log = LoggerFactory.getLogger(DigestedSessionIds.class);

    /** Stored id to cookie value, for the sessions created (or renamed on login) in this request. */
    private static final String COOKIE_VALUES = DigestedSessionIds.class.getName() + ".COOKIE_VALUES";

    /** {@code spring_session.session_id} is {@code char(36)}. */
    static final int STORED_ID_LENGTH = 36;

    private DigestedSessionIds() {
    }

    /** What the store keeps for the session whose cookie carries {@code cookieValue}. */
    public static String storedIdOf(String cookieValue) {
        byte[] digest = Digests.sha256(cookieValue.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, STORED_ID_LENGTH);
    }

    /**
     * Session ids for Spring Session: called when a session is created and when login renames it
     * (session fixation protection), both inside a request.
     */
    public static SessionIdGenerator generator() {
        return () -> {
            String cookieValue = RandomTokens.generate();
            String stored = storedIdOf(cookieValue);
            RequestAttributes request = RequestContextHolder.getRequestAttributes();
            if (request != null) {
                cookieValuesOf(request).put(stored, cookieValue);
            }
            return stored;
        };
    }

    public static CookieSerializer cookies(CookieSerializer serializer) {
        return new CookieSerializer() {
            @Override
            public void writeCookieValue(CookieValue value) {
                String stored = value.getCookieValue();
                if (stored == null || stored.isEmpty()) {
                    serializer.writeCookieValue(value); // the session ended: the cookie is cleared
                    return;
                }
                Object values = value.getRequest().getAttribute(COOKIE_VALUES);
                String cookieValue = values instanceof Map<?, ?> map ? (String) map.get(stored) : null;
                if (cookieValue == null) {
                    // only a session created outside a request: writing its stored id would make the
                    // store's value a working cookie again
                    log.warn("No cookie written for a session created outside this request");
                    return;
                }
                CookieValue written = new CookieValue(value.getRequest(), value.getResponse(), cookieValue);
                written.setCookieMaxAge(value.getCookieMaxAge());
                serializer.writeCookieValue(written);
            }

            @Override
            public List<String> readCookieValues(HttpServletRequest request) {
                return serializer.readCookieValues(request).stream().map(DigestedSessionIds::storedIdOf).toList();
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> cookieValuesOf(RequestAttributes request) {
        Object values = request.getAttribute(COOKIE_VALUES, RequestAttributes.SCOPE_REQUEST);
        if (values instanceof Map<?, ?> map) {
            return (Map<String, String>) map;
        }
        Map<String, String> created = new HashMap<>(2);
        request.setAttribute(COOKIE_VALUES, created, RequestAttributes.SCOPE_REQUEST);
        return created;
    }
}
