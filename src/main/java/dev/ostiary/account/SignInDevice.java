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
}
