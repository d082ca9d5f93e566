package dev.ostiary.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address or CIDR range ("10.0.0.0/8", "::1", "192.0.2.7"), parsed once and never
 * by a name lookup: the abuse guard's allow and deny lists and the outbound fetcher's forbidden
 * ranges share it, so both read a range the same way.
 */
public record AddressRange(byte[] network, int prefixLength) {

    public static AddressRange parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        byte[] bytes = literal(slash < 0 ? trimmed : trimmed.substring(0, slash));
        if (bytes == null) {
            throw new IllegalArgumentException("Not an IP address or CIDR range: " + text);
        }
        int prefix;
        try {
            prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(trimmed.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Bad prefix length in " + text, e);
        }
        if (prefix < 0 || prefix > bytes.length * 8) {
            throw new IllegalArgumentException("Bad prefix length in " + text);
        }
        return new AddressRange(bytes, prefix);
    }

    /** Whether a literal address (no name lookup) lies in the range; false for anything else. */
    public boolean contains(String address) {
        byte[] candidate = literal(address);
        return candidate != null && contains(candidate);
    }

    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    private boolean contains(byte[] candidate) {
        if (candidate.length != network.length) {
            return false;
        }
        int fullBytes = prefixLength / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int remainingBits = prefixLength % 8;
        if (remainingBits == 0) {
            return true;
        }
        int mask = 0xFF << (8 - remainingBits) & 0xFF;
        return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
    }

    /** The bytes of a literal address; null if it is not one (a host name is never resolved). */
    private static byte[] literal(String address) {
        if (address == null || address.isEmpty() || !address.matches("[0-9a-fA-F:.]+")) {
            return null;
        }
        if (!address.contains(":") && !address.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
            return null;
        }
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
