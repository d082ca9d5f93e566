package dev.ostiary.fetch;

import java.io.IOException;

/** A URL Ostiary will not fetch: wrong scheme, or a host that is (or resolves to) a forbidden address. */
public class ForbiddenDestinationException extends IOException {

    public ForbiddenDestinationException(String message) {
        super(message);
    }
}
