package dev.ostiary.grant;

/** Whether a signed-in user may choose a grant for the clients they register themselves. */
public enum SelfServiceOffer {

    /** Offered to everyone. */
    ORDINARY,

    /**
     * A legacy grant (RFC 9700 §2.4 and §2.1.2 advise against it): offered only to users an
     * administrator allowed legacy grants.
     */
    LEGACY,

    /** Never offered on the self-service page. */
    NOT_OFFERED
}
