package dev.ostiary.authorization;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * Revoking refresh-token families. A family is one authorization row: the grant and every token
 * issued from it, rotated refresh tokens included, so revoking it ends its access and refresh
 * tokens at once. What reuse detection, consent withdrawal and deprovisioning need of the store.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2">RFC 9700 §4.14.2</a>
 */
public interface RefreshTokenFamilies {

    /**
     * When {@code refreshToken} is one that rotation already replaced and {@code presentingClient}
     * is the client it was issued to, revokes every token of its family and reports it. Another
     * client presenting it revokes nothing (issue 13, L3: whoever holds a leaked old token must not be
     * able to end someone else's session); its request fails anyway, since the token is not current.
     *
     * @return whether the family was revoked
     */
    default boolean revokeFamilyIfRotated(String refreshToken, RegisteredClient presentingClient) {
        return revokeFamilyIfRotated(refreshToken, presentingClient, null);
    }

    /**
     * As {@link #revokeFamilyIfRotated(String, RegisteredClient)}, for a public client, which has no
     * credential: only a presenter that proved possession of the family's DPoP key
     * ({@code boundKeyThumbprint}, RFC 7638) revokes it; null checks no key.
     */
    boolean revokeFamilyIfRotated(String refreshToken, RegisteredClient presentingClient, String boundKeyThumbprint);

    /**
     * Revokes every family a user gave a client: its refresh tokens and access tokens stop working.
     *
     * @return how many authorizations were revoked
     */
    int revokeAll(String registeredClientId, String principalName);

    /**
     * Revokes every family a user holds, with every client: codes, access and refresh tokens stop
     * working at once (deprovisioning). Client credentials are not a user's and are kept.
     *
     * @return how many authorizations were revoked
     */
    int removeByPrincipal(String principalName);
}
