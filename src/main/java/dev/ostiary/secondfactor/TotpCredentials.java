package dev.ostiary.secondfactor;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The rows behind the second factor ({@code totp_credential}, {@code recovery_code}, V20). Every
 * decision that must happen once is one statement: a step is accepted by a conditional update that
 * only moves {@code last_step} forward, a recovery code is used by deleting its row.
 */
class TotpCredentials {

    /** A user's authenticator app as stored: the secret still sealed. */
    record Stored(UUID userId, byte[] sealed, String masterKeyId, boolean confirmed) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    TotpCredentials(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    Optional<UUID> userId(String username) {
        return jdbc.sql("select id from app_user where username = ?").param(username).query(UUID.class).optional();
    }

    Optional<Stored> find(UUID userId) {
        return jdbc.sql("select user_id, secret_sealed, master_key_id, confirmed_at is not null as confirmed"
                + " from totp_credential where user_id = ?").param(userId)
                .query((rs, n) -> new Stored(rs.getObject("user_id", UUID.class), rs.getBytes("secret_sealed"),
                        rs.getString("master_key_id"), rs.getBoolean("confirmed")))
                .optional();
    }

    /** Whether the user has a confirmed authenticator app. */
    boolean confirmed(String username) {
        return jdbc.sql("select exists (select 1 from totp_credential t join app_user u on u.id = t.user_id"
                + " where u.username = ? and t.confirmed_at is not null)").param(username)
                .query(Boolean.class).single();
    }

    /** Stores a pending enrolment unless the user already has one (pending or confirmed). */
    void insertPending(UUID userId, byte[] sealed, String masterKeyId, Instant now) {
        jdbc.sql("insert into totp_credential (user_id, secret_sealed, master_key_id, created_at)"
                + " values (?, ?, ?, ?) on conflict (user_id) do nothing")
                .params(userId, sealed, masterKeyId, utc(now)).update();
    }

    /** Confirms a pending enrolment with the step of its first code (which thereby counts as used). */
    boolean confirm(UUID userId, long step, Instant now) {
        return jdbc.sql("update totp_credential set confirmed_at = ?, last_step = ? where user_id = ?"
                + " and confirmed_at is null and (last_step is null or last_step < ?)")
                .params(utc(now), step, userId, step).update() == 1;
    }

    /**
     * Accepts a code's time step if no code of this or a later step was accepted before: of any
     * number of concurrent requests with the same code, exactly one moves the step and wins.
     */
    boolean accept(UUID userId, long step) {
        return jdbc.sql("update totp_credential set last_step = :step where user_id = :id"
                + " and confirmed_at is not null and (last_step is null or last_step < :step)")
                .param("step", step).param("id", userId).update() == 1;
    }

    /** Seals a secret again under the current master key, unless the row changed meanwhile. */
    void reseal(UUID userId, byte[] oldSealed, byte[] newSealed, String masterKeyId) {
        jdbc.sql("update totp_credential set secret_sealed = ?, master_key_id = ? where user_id = ? and secret_sealed = ?")
                .params(newSealed, masterKeyId, userId, oldSealed).update();
    }

    /** Removes the authenticator app and the recovery codes. */
    boolean delete(UUID userId) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            jdbc.sql("delete from recovery_code where user_id = ?").param(userId).update();
            return jdbc.sql("delete from totp_credential where user_id = ?").param(userId).update() == 1;
        }));
    }

    /** Replaces all recovery codes of the user (in one transaction: never a moment with both or neither). */
    void replaceRecoveryCodes(UUID userId, List<byte[]> digests, Instant now) {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("delete from recovery_code where user_id = ?").param(userId).update();
            for (byte[] digest : digests) {
                jdbc.sql("insert into recovery_code (user_id, code_digest, created_at) values (?, ?, ?)")
                        .params(userId, digest, utc(now)).update();
            }
        });
    }

    /** Uses a recovery code: deleted if it exists, so exactly one of concurrent uses succeeds. */
    boolean useRecoveryCode(UUID userId, byte[] digest) {
        return !jdbc.sql("delete from recovery_code where user_id = ? and code_digest = ? returning 1")
                .params(userId, digest).query(Integer.class).list().isEmpty();
    }

    int recoveryCodesLeft(UUID userId) {
        return jdbc.sql("select count(*) from recovery_code where user_id = ?").param(userId)
                .query(Integer.class).single();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
