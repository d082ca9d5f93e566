package dev.ostiary.clientmetadata;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which client ids are URLs of metadata documents (draft-ietf-oauth-client-id-metadata-document §3):
 * https, with a path, no fragment, no user name or password, no single- or double-dot path segment.
 * Ostiary is stricter than the draft in two ways: no IP literal (a client is named by its host, which
 * is what the consent page shows), and a path other than {@code /}. A loopback host is allowed only
 * with the development setting, and then with http too.
 */
final class ClientIdUrls {

    /** Client ids are kept in audit rows and compared as text: longer ones are not worth a fetch. */
    static final int MAX_LENGTH = 200;

    private static final Pattern DOT_SEGMENT = Pattern.compile("(?i)/(\\.|%2e){1,2}(/|$)");
    private static final Pattern IPV4 = Pattern.compile("[0-9]+(\\.[0-9]+){3}");

    private final boolean allowLoopback;

    ClientIdUrls(boolean allowLoopback) {
        this.allowLoopback = allowLoopback;
    }

    /** Whether a client id is meant as a document URL at all (else it is just an unknown id). */
    static boolean looksLikeUrl(String clientId) {
        String lower = clientId.toLowerCase(Locale.ROOT);
        return lower.startsWith("https://") || lower.startsWith("http://");
    }

    /** Why {@code clientId} may not name a metadata document, or null when it may. */
    String problem(String clientId) {
        if (clientId.length() > MAX_LENGTH) {
            return "is longer than " + MAX_LENGTH + " characters";
        }
        URI uri;
        try {
            uri = new URI(clientId);
        } catch (URISyntaxException e) {
            return "is not a valid URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return "has no host";
        }
        boolean loopback = isLoopback(host);
        if (!scheme.equals("https") && !(scheme.equals("http") && loopback && allowLoopback)) {
            return "must be an https URL";
        }
        if (uri.getRawUserInfo() != null) {
            return "must not contain a user name or password";
        }
        if (uri.getRawFragment() != null || clientId.contains("#")) {
            return "must not contain a fragment";
        }
        String path = uri.getRawPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            return "must have a path";
        }
        if (DOT_SEGMENT.matcher(path).find()) {
            return "must not contain . or .. path segments";
        }
        if (loopback) {
            return allowLoopback ? null : "must not name a loopback host";
        }
        if (host.startsWith("[") || IPV4.matcher(host).matches()) {
            return "must name a host, not an IP address";
        }
        return null;
    }

    /** The host the consent page names (with the port, if any). */
    static String host(String clientId) {
        URI uri = URI.create(clientId);
        return uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    private static boolean isLoopback(String host) {
        return host.equalsIgnoreCase("localhost") || host.equals("[::1]") || host.startsWith("127.")
                && IPV4.matcher(host).matches();
    }
}
