package dev.ostiary.user;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The password checks of one user name that this node runs at once: at most the lockout threshold;
 * the others wait here in arrival order and the first of them goes on the moment a check ends.
 *
 * <p>It stands in front of the name's reservation in PostgreSQL ({@code FailureCounters#tryAttempt}),
 * which stays the bound across nodes; this only keeps the logins that could not get a place from
 * asking the database again and again. Before it, each waiting login polled the reservation with
 * growing pauses: sixteen parallel password grants of one service account made PostgreSQL use a
 * quarter of a core for the polls, and a freed place stayed unused until the next poll, so the
 * waits were long and unequal (docs/performance.md, "Password grant: one queue per name").
 *
 * <p>An entry exists only while a login of its name is checked or waiting, so the map holds at most
 * one entry per request in flight, whatever names an attacker sends.
 */
final class LocalCheckPlaces {

    /** A place held: closing it gives it to the next login waiting, if any. */
    interface Place extends AutoCloseable {
        @Override
        void close();
    }

    private static final class Name {
        final Semaphore places;
        /** Logins holding or waiting for a place; guarded by the map's lock on this key. */
        int logins;

        Name(int places) {
            this.places = new Semaphore(places, true);
        }
    }

    private final ConcurrentHashMap<String, Name> names = new ConcurrentHashMap<>();

    /**
     * Waits up to {@code patience} for one of the name's {@code places}.
     *
     * @return the place, or {@code null} when none came free in time
     */
    Place enter(String name, int places, Duration patience) {
        Name entry = names.compute(name, (key, existing) -> {
            Name n = existing != null ? existing : new Name(Math.max(1, places));
            n.logins++;
            return n;
        });
        boolean acquired = false;
        try {
            acquired = entry.places.tryAcquire(patience.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!acquired) {
                leave(name);
            }
        }
        if (!acquired) {
            return null;
        }
        return new Place() {
            private boolean closed;

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    entry.places.release();
                    leave(name);
                }
            }
        };
    }

    private void leave(String name) {
        names.computeIfPresent(name, (key, n) -> --n.logins == 0 ? null : n);
    }

    /** Names with a login checked or waiting (for tests: the map must empty itself). */
    int namesInUse() {
        return names.size();
    }
}
