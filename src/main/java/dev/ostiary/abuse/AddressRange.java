package dev.ostiary.abuse;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 address or CIDR range, parsed once: "10.0.0.0/8", "::1", "192.0.2.7". */
record AddressRange(byte[] network, int prefixLength) {

    static AddressRange parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = literal(address);
        if (bytes == null) {
            throw new IllegalArgumentException("Not an IP address or CIDR range: " + text);
        }
        int prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(trimmed.substring(slash + 1));
        if (prefix < 0 || prefix > bytes.length * 8) {
            throw new IllegalArgumentException("Bad prefix length in " + text);
        }
        return new AddressRange(bytes, prefix);
    }

    boolean contains(String address) {
        byte[] candidate = literal(address);
        if (candidate == null || candidate.length != network.length) {
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
        int mask = 0xFF << (8 - remainingBits);
        return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
    }

    /** The bytes of a literal address, without any DNS lookup; null if it is not one. */
    private static byte[] literal(String address) {
        if (address == null || address.isEmpty() || !address.matches("[0-9a-fA-F:.]+")) {
            return null;
        }
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
