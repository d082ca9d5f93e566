package dev.ostiary.gateway;

import java.time.Duration;

/**
 * What the check endpoint tells nginx about one request. nginx's {@code auth_request} passes on only
 * a 2xx (allow), 401 and 403; anything else becomes a 500 for the client, so every answer about the
 * client's credentials is one of those three, and only a misconfigured gateway location gets a 400.
 */
public sealed interface GatewayAnswer {

    /** How long nginx may keep this answer ({@code X-Accel-Expires}); zero: not at all. */
    Duration cacheFor();

    /**
     * The token is valid for the location: nginx lets the request through with these for the upstream.
     *
     * @param subject the token's {@code sub}
     * @param clientId the token's {@code client_id} (RFC 9068 §2.2)
     * @param scope the token's {@code scope}, space-separated as issued
     */
    record Allowed(String subject, String clientId, String scope, Duration cacheFor) implements GatewayAnswer {
    }

    /**
     * The client's credentials do not give access: 401 or 403 with an RFC 6750 §3 challenge.
     *
     * @param status 401 (no, invalid or unusable token) or 403 ({@code insufficient_scope})
     * @param error the RFC 6750 §3.1 error code, or null when the request carried no bearer token (§3)
     * @param description the {@code error_description}: fixed text, never anything the client sent
     * @param scope the scope the location needs, for {@code insufficient_scope}; else null
     */
    record Refused(int status, String error, String description, String scope, Duration cacheFor)
            implements GatewayAnswer {

        /** The {@code WWW-Authenticate} value (RFC 6750 §3); every part is a fixed or validated string. */
        public String challenge(String realm) {
            StringBuilder challenge = new StringBuilder("Bearer realm=\"").append(realm).append('"');
            if (error != null) {
                challenge.append(", error=\"").append(error).append('"');
            }
            if (description != null) {
                challenge.append(", error_description=\"").append(description).append('"');
            }
            if (scope != null) {
                challenge.append(", scope=\"").append(scope).append('"');
            }
            return challenge.toString();
        }
    }

    /**
     * The gateway location itself is wrong (no audience, a repeated or malformed requirement): 400,
     * which nginx turns into a 500 and logs as "auth request unexpected status: 400". It fails closed
     * and loud, and it is not the client's fault, so no challenge.
     */
    record Misconfigured(String description) implements GatewayAnswer {
        @Override
        public Duration cacheFor() {
            return Duration.ZERO;
        }
    }
}
