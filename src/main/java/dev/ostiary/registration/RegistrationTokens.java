package dev.ostiary.registration;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

import dev.ostiary.crypto.Digests;
import dev.ostiary.crypto.RandomTokens;

/**
 * The bearer tokens of dynamic registration, stored as SHA-256 digests: initial access tokens an
 * administrator hands out (RFC 7591 §3, single use, expiring), and one registration access token
 * per registered client (RFC 7592 §1), replaced on every update.
 */
public class RegistrationTokens {

    private final JdbcClient jdbc;
    private final Clock clock;

    public RegistrationTokens(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A new initial access token, valid once within {@code lifetime}. */
    public String issueInitial(String admin, Duration lifetime) {
        String token = RandomTokens.generate();
        jdbc.sql("insert into registration_token (token_hash, kind, created_by, expires_at) values (?, 'initial', ?, ?)")
                .params(digest(token), admin, utc(clock.instant().plus(lifetime))).update();
        return token;
    }

    /** Spends an initial access token: true once, if it exists and has not expired. */
    @Transactional
    public boolean spendInitial(String token) {
        return token != null && jdbc.sql("update registration_token set used_at = ? where token_hash = ? and kind = 'initial'"
                + " and used_at is null and expires_at > ?")
                .params(utc(clock.instant()), digest(token), utc(clock.instant())).update() == 1;
    }

    /** A fresh registration access token for the client; any previous one stops working. */
    @Transactional
    public String issueFor(String clientId) {
        jdbc.sql("delete from registration_token where kind = 'registration' and client_id = ?").param(clientId).update();
        String token = RandomTokens.generate();
        jdbc.sql("insert into registration_token (token_hash, kind, client_id) values (?, 'registration', ?)")
                .params(digest(token), clientId).update();
        return token;
    }

    /** The client a registration access token manages. */
    public Optional<String> clientOf(String token) {
        if (token == null) {
            return Optional.empty();
        }
        return jdbc.sql("select client_id from registration_token where token_hash = ? and kind = 'registration'")
                .param(digest(token)).query(String.class).optional();
    }

    public void forget(String clientId) {
        jdbc.sql("delete from registration_token where client_id = ?").param(clientId).update();
    }

    private static byte[] digest(String token) {
        return Digests.sha256(token);
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
