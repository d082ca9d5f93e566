package dev.ostiary.passkeys;

import java.nio.ByteBuffer;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.ImmutablePublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialUserEntityRepository;

/**
 * Spring's WebAuthn user entities, read from our users instead of a table of their own: the user
 * handle (WebAuthn §5.4.3 {@code user.id}) is the 16 bytes of {@code app_user.id}. It contains no
 * personal data (§14.6.1), survives a change of user name, and is the same for two first
 * registrations at once, so Spring's find-or-create never creates a second handle for one user.
 */
final class PasskeyUserEntities implements PublicKeyCredentialUserEntityRepository {

    private final JdbcClient jdbc;

    PasskeyUserEntities(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public PublicKeyCredentialUserEntity findById(Bytes id) {
        UUID userId = userId(id);
        if (userId == null) {
            return null;
        }
        return jdbc.sql("select username from app_user where id = ?").param(userId).query(String.class)
                .optional().map(username -> entity(userId, username)).orElse(null);
    }

    @Override
    public PublicKeyCredentialUserEntity findByUsername(String username) {
        return jdbc.sql("select id from app_user where username = lower(?)").param(username).query(UUID.class)
                .optional().map(id -> entity(id, username.toLowerCase(java.util.Locale.ROOT))).orElse(null);
    }

    /** Nothing to store: the entity is the user. */
    @Override
    public void save(PublicKeyCredentialUserEntity userEntity) {
    }

    /** Deleting the user deletes their passkeys (V19's cascade). */
    @Override
    public void delete(Bytes id) {
    }

    static Bytes handle(UUID userId) {
        return new Bytes(ByteBuffer.allocate(16).putLong(userId.getMostSignificantBits())
                .putLong(userId.getLeastSignificantBits()).array());
    }

    /** The user a handle names; null for anything that is not one of ours (16 bytes). */
    static UUID userId(Bytes handle) {
        byte[] bytes = handle == null ? null : handle.getBytes();
        if (bytes == null || bytes.length != 16) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    private static PublicKeyCredentialUserEntity entity(UUID id, String username) {
        return ImmutablePublicKeyCredentialUserEntity.builder().id(handle(id)).name(username)
                .displayName(username).build();
    }
}
