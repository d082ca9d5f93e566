package dev.ostiary.grant.devicecode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;

import dev.ostiary.crypto.Digests;

/**
 * The polling rule of RFC 8628 §3.5, decided in PostgreSQL so that every instance sees the same
 * last poll: one update of the authorization's row records this poll and, from the values the row
 * held before it (what {@code set} expressions read), whether it came before the interval was over;
 * if so the interval grows by 5 seconds "for this and all subsequent requests". Concurrent polls are
 * ordered by the row lock, so two polls at once cannot both pass. Only pending authorizations count:
 * once the user has answered, the next poll gets its answer at once.
 */
class DevicePolls {

    /** How much sooner than the interval a poll may arrive: network jitter, not a faster client. */
    static final Duration JITTER = Duration.ofMillis(500);
    static final int SLOW_DOWN_SECONDS = 5;

    private static final String EARLY = "(device_polled_at is not null and device_polled_at > "
            + "cast(:now as timestamptz) - make_interval(secs => coalesce(device_poll_interval_seconds, :base) - :jitter))";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration interval;

    DevicePolls(JdbcClient jdbc, Clock clock, Duration interval) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.interval = interval;
    }

    /**
     * Records a poll with {@code deviceCode} by the client whose registration id is {@code clientId}
     * and says whether it came too early. False when no pending authorization of that client holds the
     * code: Spring's provider then answers as the code deserves.
     */
    boolean tooEarly(String deviceCode, String clientId) {
        Instant now = clock.instant();
        return jdbc.sql("""
                update oauth2_authorization set
                    device_polled_too_fast = %1$s,
                    device_poll_interval_seconds = case when %1$s
                        then least(coalesce(device_poll_interval_seconds, :base) + :slowDown, 3600)
                        else device_poll_interval_seconds end,
                    device_polled_at = :now
                where device_code_hash = :digest and registered_client_id = cast(:client as uuid)
                  and coalesce(user_code_metadata ->> :invalidated, 'false') <> 'true'
                returning device_polled_too_fast""".formatted(EARLY))
                .param("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                .param("base", (int) interval.toSeconds())
                .param("jitter", JITTER.toMillis() / 1000.0)
                .param("slowDown", SLOW_DOWN_SECONDS)
                .param("digest", Digests.sha256(deviceCode))
                .param("client", clientId)
                .param("invalidated", OAuth2Authorization.Token.INVALIDATED_METADATA_NAME)
                .query(Boolean.class)
                .optional()
                .orElse(false);
    }
}
