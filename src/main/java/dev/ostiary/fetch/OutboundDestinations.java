package dev.ostiary.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.security.util.matcher.InetAddressMatcher;
import org.springframework.security.util.matcher.InetAddressMatchers;

/**
 * Which URLs Ostiary may fetch, decided on the URL and again on every address its host resolves to
 * (server-side request forgery, review M1): https only ({@code http} only to a loopback host, and only
 * in development), and never an address in a non-public range unless that range is allowed by
 * configuration. The address checked is the address connected to ({@link Destination#address()}), so a
 * DNS answer that changes between the check and the connection (rebinding) changes nothing.
 */
public final class OutboundDestinations {

    /** Loopback, private (RFC 1918, ULA), link-local (cloud metadata), CGNAT, multicast, reserved. */
    private static final List<InetAddressMatcher> FORBIDDEN = List.of(
            range("0.0.0.0/8"), range("10.0.0.0/8"), range("100.64.0.0/10"), range("127.0.0.0/8"),
            range("169.254.0.0/16"), range("172.16.0.0/12"), range("192.0.0.0/24"), range("192.0.2.0/24"),
            range("192.168.0.0/16"), range("198.18.0.0/15"), range("198.51.100.0/24"), range("203.0.113.0/24"),
            range("224.0.0.0/4"), range("240.0.0.0/4"),
            range("::/128"), range("::1/128"), range("fc00::/7"), range("fe80::/10"), range("fec0::/10"),
            range("ff00::/8"), range("2001:db8::/32"), range("100::/64"));
    private static final List<InetAddressMatcher> LOOPBACK = List.of(range("127.0.0.0/8"), range("::1/128"));

    /** An address or CIDR range, as Spring Security's {@code IpAddressMatcher} reads it (never a host name). */
    private static InetAddressMatcher range(String range) {
        return InetAddressMatchers.fromIpAddress(range);
    }

    /** Where a fetch goes: the URL's host (for TLS and {@code Host}) and the one address connected to. */
    public record Destination(URI uri, boolean https, String host, int port, InetAddress address) {
    }

    /** Resolves host names; replaceable in tests. */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final boolean allowHttpLoopback;
    private final List<InetAddressMatcher> allowed;
    private final Resolver resolver;

    public OutboundDestinations(OutboundFetchProperties properties) {
        this(properties, InetAddress::getAllByName);
    }

    public OutboundDestinations(OutboundFetchProperties properties, Resolver resolver) {
        this.allowHttpLoopback = properties.allowHttpLoopback();
        List<InetAddressMatcher> ranges = new ArrayList<>();
        for (String configured : properties.allowedRanges()) {
            ranges.add(range(configured.trim()));
        }
        this.allowed = List.copyOf(ranges);
        this.resolver = resolver;
    }

    /** Why the URL alone cannot be fetched (scheme, host, user info), or null. Nothing is resolved. */
    public String urlProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException | NullPointerException e) {
            return "is not a valid URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            return "must be an https URL with a host, without user info or fragment";
        }
        if (scheme.equals("https")) {
            return null;
        }
        if (scheme.equals("http") && allowHttpLoopback && loopbackName(uri.getHost())) {
            return null;
        }
        return allowHttpLoopback ? "must be https (http only to a loopback host)" : "must be https";
    }

    /**
     * Checks the URL and resolves its host: every address must be allowed (a name with one private
     * address among public ones is refused, rather than trusting whichever the connection would pick).
     */
    public Destination resolve(String url) throws ForbiddenDestinationException {
        String problem = urlProblem(url);
        if (problem != null) {
            throw new ForbiddenDestinationException("The URL " + problem);
        }
        URI uri = URI.create(url);
        boolean https = uri.getScheme().equalsIgnoreCase("https");
        String host = uri.getHost();
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            throw new ForbiddenDestinationException("The host " + host + " does not resolve");
        }
        if (addresses.length == 0) {
            throw new ForbiddenDestinationException("The host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            if (!allowed(address)) {
                throw new ForbiddenDestinationException("The host " + host + " resolves to an address that may not be"
                        + " fetched (loopback, private, link-local or reserved)");
            }
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
        return new Destination(uri, https, bare, port, addresses[0]);
    }

    /** Why the URL may not be registered (its host resolved now), or null. */
    public String registrationProblem(String url) {
        try {
            resolve(url);
            return null;
        } catch (ForbiddenDestinationException e) {
            return e.getMessage();
        }
    }

    boolean allowed(InetAddress address) {
        InetAddress effective = embeddedIpv4(address);
        for (InetAddressMatcher range : allowed) {
            if (range.matches(effective) || range.matches(address)) {
                return true;
            }
        }
        if (allowHttpLoopback && LOOPBACK.stream().anyMatch(r -> r.matches(effective))) {
            return true;
        }
        for (InetAddressMatcher range : FORBIDDEN) {
            if (range.matches(effective) || range.matches(address)) {
                return false;
            }
        }
        return !effective.isAnyLocalAddress() && !effective.isLoopbackAddress() && !effective.isLinkLocalAddress()
                && !effective.isSiteLocalAddress() && !effective.isMulticastAddress();
    }

    private static boolean loopbackName(String host) {
        return host.equalsIgnoreCase("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
    }

    /** IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses are their IPv4 address. */
    private static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] b = address.getAddress();
        byte[] v4 = null;
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= b[i] == 0;
        }
        if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            v4 = new byte[] { b[12], b[13], b[14], b[15] };
        } else if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            v4 = new byte[] { b[12], b[13], b[14], b[15] };
        } else if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            v4 = new byte[] { b[2], b[3], b[4], b[5] };
        }
        if (v4 == null) {
            return address;
        }
        try {
            return Inet4Address.getByAddress(v4);
        } catch (UnknownHostException e) {
            return address;
        }
    }
}
