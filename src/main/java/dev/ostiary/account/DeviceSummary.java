package dev.ostiary.account;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * What a {@code User-Agent} header says about the device, as the account's sessions page shows it:
 * the browser and the operating system by family name, never versions or the raw header (it is
 * whatever the client sent, and the page must show only what a person can recognise: "Firefox on
 * Windows", as Google's and Keycloak's device lists do). A header that names neither gives nulls, and
 * the page says "unknown".
 *
 * <p>Order matters: browsers built on Chromium name Chrome and Safari too, and Safari's header names
 * only Safari; so the most specific token is tried first (Edge's {@code Edg/} before {@code Chrome/},
 * Chrome before Safari).
 *
 * @param browser the browser family, or null
 * @param os the operating system family, or null
 */
public record DeviceSummary(String browser, String os) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Longer headers are cut: only the start is read (real ones are 100–300 characters). */
    static final int MAX_HEADER_LENGTH = 512;

    private record Token(String needle, String name) {
    }

    private static final List<Token> BROWSERS = List.of(
            new Token("edg/", "Edge"), new Token("edga/", "Edge"), new Token("edgios/", "Edge"),
            new Token("opr/", "Opera"), new Token("opera", "Opera"),
            new Token("samsungbrowser/", "Samsung Internet"), new Token("vivaldi/", "Vivaldi"),
            new Token("firefox/", "Firefox"), new Token("fxios/", "Firefox"),
            new Token("chromium/", "Chromium"), new Token("crios/", "Chrome"), new Token("headlesschrome/", "Chrome"),
            new Token("chrome/", "Chrome"), new Token("version/", "Safari"),
            new Token("curl/", "curl"), new Token("java-http-client", "Java"));

    private static final List<Token> SYSTEMS = List.of(
            new Token("windows", "Windows"), new Token("android", "Android"), new Token("iphone", "iOS"),
            new Token("ipad", "iPadOS"), new Token("ipod", "iOS"), new Token("cros ", "ChromeOS"),
            new Token("mac os x", "macOS"), new Token("macintosh", "macOS"), new Token("linux", "Linux"),
            new Token("freebsd", "FreeBSD"));

    /** The browser and system a {@code User-Agent} header names; nulls for what it does not. */
    public static DeviceSummary of(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return new DeviceSummary(null, null);
        }
        String header = userAgent.length() > MAX_HEADER_LENGTH ? userAgent.substring(0, MAX_HEADER_LENGTH) : userAgent;
        String lower = header.toLowerCase(Locale.ROOT);
        String browser = first(BROWSERS, lower);
        if ("Safari".equals(browser) && !lower.contains("safari/")) {
            browser = null; // "Version/" alone is no browser
        }
        return new DeviceSummary(browser, first(SYSTEMS, lower));
    }

    private static String first(List<Token> tokens, String header) {
        for (Token token : tokens) {
            if (header.contains(token.needle())) {
                return token.name();
            }
        }
        return null;
    }
}
