package dev.ostiary.stepup;

import java.io.Serializable;
import java.time.Instant;

/**
 * What the authorization endpoint last sent this browser to do before it comes back: sign in again or
 * add a second factor, and when. Kept in the HTTP session (JDK-serialized by Spring Session) for one
 * round: the next authorization request reads and removes it. It is how the endpoint tells a request
 * that comes back from the login page (re-authenticated after the demand: go on) from a new one, and
 * how a round that brought no stronger sign-in ends instead of redirecting again (no loop).
 *
 * @param kind what was asked
 * @param at when it was asked; a factor proven at or after it answers it
 */
public record SignInDemand(Kind kind, Instant at) implements Serializable {

    /** The session attribute. */
    public static final String ATTRIBUTE = SignInDemand.class.getName();

    public enum Kind {
        /** {@code prompt=login} or {@code max_age}: the user signs in again (/login?reauth). */
        REAUTHENTICATE,
        /** A second factor (/login/second-factor?required). */
        STEP_UP
    }
}
