package dev.ostiary.recovery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.ostiary.crypto.Digests;
import dev.ostiary.crypto.RandomTokens;

/**
 * The single-use links mailed to users (V21 {@code account_link}): a 256-bit random token
 * ({@link RandomTokens}) in the URL, only its SHA-256 in the table, so a dump or an SQL read yields
 * no link that works. Looking at a link ({@link #peek}) changes nothing: mail scanners fetch links
 * before their reader does. Using it ({@link #consume}) is one {@code delete … returning} on the
 * digest: PostgreSQL's row lock lets exactly one of any number of concurrent uses get the row.
 */
public class AccountLinks {

    /** What a link does when used. */
    public enum Purpose {
        PASSWORD_RESET, REGISTRATION, EMAIL_CHANGE
    }

    /** A link just made: the token goes into the mail and is never stored. */
    public record Issued(String token, Instant expiresAt) {
    }

    /** A stored link. */
    public record Link(Purpose purpose, UUID userId, String email, Instant expiresAt) {
        public boolean expired(Instant now) {
            return !expiresAt.isAfter(now);
        }
    }

    private static final RowMapper<Link> LINK = (rs, n) -> new Link(Purpose.valueOf(rs.getString("purpose")),
            rs.getObject("user_id", UUID.class), rs.getString("email"),
            rs.getObject("expires_at", OffsetDateTime.class).toInstant());

    private final JdbcClient jdbc;
    private final Clock clock;

    public AccountLinks(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** What {@link RandomTokens#generate} makes: 43 base64url characters. Anything else is no link of ours. */
    public static boolean wellFormed(String token) {
        return token != null && token.length() == 43 && token.chars().allMatch(c -> (c >= 'A' && c <= 'Z')
                || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
    }

    /**
     * A new link; the user's earlier links of the same purpose stop working (only the newest mail
     * counts, so an old one found in a mailbox later opens nothing).
     */
    public Issued issue(Purpose purpose, UUID userId, String email, Duration lifetime) {
        String token = RandomTokens.generate();
        Instant expiresAt = clock.instant().plus(lifetime);
        jdbc.sql("delete from account_link where user_id = ? and purpose = ?").params(userId, purpose.name()).update();
        jdbc.sql("insert into account_link (token_digest, purpose, user_id, email, expires_at) values (?, ?, ?, ?, ?)")
                .params(Digests.sha256(token), purpose.name(), userId, email, utc(expiresAt)).update();
        return new Issued(token, expiresAt);
    }

    /** The link, if it exists with one of these purposes; nothing is changed (a GET of the link). */
    public Optional<Link> peek(String token, Collection<Purpose> purposes) {
        if (!wellFormed(token)) {
            return Optional.empty();
        }
        return jdbc.sql("select purpose, user_id, email, expires_at from account_link"
                + " where token_digest = ? and purpose = any(?)")
                .params(Digests.sha256(token), purposes.stream().map(Enum::name).toArray(String[]::new))
                .query(LINK).optional();
    }

    /**
     * Uses the link up: deletes its row and returns it, in one statement. Of concurrent calls for
     * one token, one gets the row and every other gets nothing. An expired link is deleted too; the
     * caller tells it apart by {@link Link#expired}.
     */
    public Optional<Link> consume(String token, Collection<Purpose> purposes) {
        if (!wellFormed(token)) {
            return Optional.empty();
        }
        return jdbc.sql("delete from account_link where token_digest = ? and purpose = any(?)"
                + " returning purpose, user_id, email, expires_at")
                .params(Digests.sha256(token), purposes.stream().map(Enum::name).toArray(String[]::new))
                .query(LINK).optional();
    }

    /** The user's links of this purpose stop working (the password was reset, the address changed). */
    public void revokeAll(UUID userId, Purpose purpose) {
        jdbc.sql("delete from account_link where user_id = ? and purpose = ?").params(userId, purpose.name()).update();
    }

    /** Deletes expired links; run every few minutes. */
    public int purge() {
        return jdbc.sql("delete from account_link where expires_at < ?").param(utc(clock.instant())).update();
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
