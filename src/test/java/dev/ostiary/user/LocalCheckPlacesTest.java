package dev.ostiary.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** This node's queue of password checks per user name, in front of the database's reservation. */
@Tag("unit")
class LocalCheckPlacesTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private final LocalCheckPlaces places = new LocalCheckPlaces();

    @Test
    void whenEveryPlaceIsHeldThenTheNextLoginWaitsUntilOneIsGivenBack() throws Exception {
        List<LocalCheckPlaces.Place> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(places.enter("alice", 3, Duration.ZERO));
        }
        assertThat(held).doesNotContainNull();
        assertThat(places.enter("alice", 3, Duration.ZERO)).isNull();

        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch waiting = new CountDownLatch(1);
            Future<LocalCheckPlaces.Place> next = pool.submit(() -> {
                waiting.countDown();
                return places.enter("alice", 3, LONG);
            });
            waiting.await();
            assertThat(next).isNotDone();
            held.get(1).close();
            LocalCheckPlaces.Place got = next.get(10, TimeUnit.SECONDS);
            assertThat(got).isNotNull();
            got.close();
        } finally {
            pool.shutdownNow();
        }
        held.forEach(LocalCheckPlaces.Place::close);
        assertThat(places.namesInUse()).isZero();
    }

    @Test
    void whenOtherNamesAreBusyThenANameHasAllItsPlaces() {
        LocalCheckPlaces.Place alice = places.enter("alice", 1, Duration.ZERO);

        LocalCheckPlaces.Place bob = places.enter("bob", 1, Duration.ZERO);

        assertThat(alice).isNotNull();
        assertThat(bob).isNotNull();
        assertThat(places.enter("alice", 1, Duration.ZERO)).isNull();
        alice.close();
        bob.close();
        assertThat(places.namesInUse()).isZero();
    }

    @Test
    void whenNoPlaceComesFreeInTimeThenTheLoginGivesUpAndLeavesNothingBehind() {
        LocalCheckPlaces.Place held = places.enter("alice", 1, Duration.ZERO);

        assertThat(places.enter("alice", 1, Duration.ofMillis(50))).isNull();

        held.close();
        assertThat(places.namesInUse()).isZero();
    }

    @Test
    void whenAPlaceIsClosedTwiceThenItIsGivenBackOnce() {
        LocalCheckPlaces.Place first = places.enter("alice", 1, Duration.ZERO);
        first.close();
        LocalCheckPlaces.Place second = places.enter("alice", 1, Duration.ZERO);

        first.close();

        assertThat(places.enter("alice", 1, Duration.ZERO)).isNull();
        second.close();
        assertThat(places.namesInUse()).isZero();
    }

    @Test
    void whenThirtyTwoLoginsOfOneNameArriveAtOnceThenAtMostThresholdRunAndEveryOneGetsItsTurn() throws Exception {
        int logins = 32;
        int threshold = 5;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(logins);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < logins; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    LocalCheckPlaces.Place place = places.enter("svc", threshold, LONG);
                    if (place == null) {
                        return false;
                    }
                    try (place) {
                        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                        Thread.sleep(2);   // a check that takes a while, so the logins overlap
                        running.decrementAndGet();
                    }
                    return true;
                }));
            }
            start.countDown();
            for (Future<Boolean> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(mostAtOnce.get()).isBetween(1, threshold);
        assertThat(places.namesInUse()).isZero();
    }
}
