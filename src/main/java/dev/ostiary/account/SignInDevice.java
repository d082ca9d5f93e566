package dev.ostiary.account;

import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;

/**
 * What the sessions page shows about where a session signed in, kept in the session itself (one
 * attribute, a row of {@code spring_session_attributes}): nothing here is a secret, and it leaves
 * with the session.
 *
 * @param device browser and system, from the {@code User-Agent} at sign-in
 * @param address the client's address at sign-in, as resolved behind trusted proxies
 *        ({@code web/TrustedProxies}: the address every lockout and audit entry uses)
 * @param signedInAt when the sign-in succeeded
 */
public record SignInDevice(DeviceSummary device, String address, Instant signedInAt) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The session attribute's name. */
    public static final String ATTRIBUTE = SignInDevice.class.getName();

    /** Addresses longer than an IPv6 literal with a zone are not addresses; cut so a row stays small. */
    static final int MAX_ADDRESS_LENGTH = 64;

    public SignInDevice {
        if (address != null && address.length() > MAX_ADDRESS_LENGTH) {
            address = address.substring(0, MAX_ADDRESS_LENGTH);
        }
    }

    /** {@link #address} as people write it (see {@link #display}). */
    public String shownAddress() {
        return display(address);
    }

    /**
     * An address as people write it: IPv6 in RFC 5952 §4 form (Tomcat gives {@code 0:0:0:0:0:0:0:1};
     * people know {@code ::1}), the longest run of two or more zero groups as {@code ::}, the first
     * of equal runs. Anything else, IPv4 included, as it is.
     */
    static String display(String address) {
        if (address == null || !address.matches("[0-9a-fA-F]{1,4}(:[0-9a-fA-F]{1,4}){7}")) {
            return address;
        }
        String[] groups = address.toLowerCase(java.util.Locale.ROOT).split(":");
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; i++) {
            groups[i] = groups[i].replaceFirst("^0+(?=.)", "");
            int length = 0;
            while (i + length < groups.length && groups[i + length].replaceFirst("^0+(?=.)", "").equals("0")) {
                length++;
            }
            if (length > bestLength) {
                bestStart = i;
                bestLength = length;
            }
        }
        if (bestStart < 0) {
            return String.join(":", groups);
        }
        return String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart)) + "::"
                + String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
    }
}
