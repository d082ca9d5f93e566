package dev.ostiary.recovery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import dev.ostiary.web.IssuerProperties;

/**
 * What a mail sent after the request has answered needs from that request: the language it was
 * made in (the page's, so the mail reads like the page the person just saw), the client's address
 * (for the per-source limit and the audit trail), and where links point.
 *
 * <p>Links point at the configured issuer ({@code ostiary.issuer}). Without one, the request's own
 * URL is used only when its host is loopback (the demo, tests): a reset link built from an
 * attacker's {@code Host} header would send the victim's token to the attacker's server (host
 * header poisoning), so on any other host no link is mailed until the issuer is configured.
 *
 * @param linkBase the URL links start with, without a trailing slash; null when none is safe
 * @param operator the operator who asked for the mail on someone's behalf (the console); null when the
 *        person asked themselves. The audit event then names the operator, with the account as target.
 */
public record MailContext(Locale locale, String sourceIp, String linkBase, String operator) {

    public MailContext(Locale locale, String sourceIp, String linkBase) {
        this(locale, sourceIp, linkBase, null);
    }

    public static MailContext of(HttpServletRequest request, IssuerProperties issuer) {
        String base;
        if (issuer.fixed()) {
            base = issuer.issuer().replaceAll("/+$", "");
        } else {
            String current = ServletUriComponentsBuilder.fromContextPath(request).replaceQuery(null).build()
                    .toUriString().replaceAll("/+$", "");
            base = loopbackHost(request.getServerName()) ? current : null;
        }
        return new MailContext(LocaleContextHolder.getLocale(), request.getRemoteAddr(), base);
    }

    /** This context, for a mail an operator asked for on the account's behalf. */
    public MailContext byOperator(String name) {
        return new MailContext(locale, sourceIp, linkBase, name);
    }

    /** A link to {@code path} with its token, or null when links cannot be made safely. */
    public String link(String path, String token) {
        return linkBase == null ? null : linkBase + path + "?token=" + token;
    }

    public String page(String path) {
        return linkBase == null ? path : linkBase + path;
    }

    static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!bare.matches("[0-9.]+") && !bare.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(bare).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
