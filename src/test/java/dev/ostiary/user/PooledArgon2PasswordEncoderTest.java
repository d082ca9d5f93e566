package dev.ostiary.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

@Tag("unit")
class PooledArgon2PasswordEncoderTest {

    // small costs keep the test fast; the format and the pooling do not depend on them
    private final PooledArgon2PasswordEncoder pooled = new PooledArgon2PasswordEncoder(1024, 2, 2);

    @Test
    void springsArgon2EncoderVerifiesOurHashes() {
        String hash = pooled.encode("alice-pw");

        assertThat(hash).startsWith("$argon2id$v=19$m=1024,t=2,p=1$");
        Argon2PasswordEncoder spring = new Argon2PasswordEncoder(16, 32, 1, 1024, 2);
        assertThat(spring.matches("alice-pw", hash)).isTrue();
        assertThat(spring.matches("alice-pW", hash)).isFalse();
    }

    @Test
    void verifiesHashesSpringsEncoderWroteWithOtherParameters() {
        String hash = new Argon2PasswordEncoder(8, 24, 2, 2048, 3).encode("bob-pw");

        assertThat(pooled.matches("bob-pw", hash)).isTrue();
        assertThat(pooled.matches("bob-pw ", hash)).isFalse();
        assertThat(pooled.upgradeEncoding(hash)).isFalse();
        assertThat(pooled.upgradeEncoding(new Argon2PasswordEncoder(16, 32, 1, 512, 2).encode("x"))).isTrue();
    }

    @Test
    void eachHashHasItsOwnSalt() {
        assertThat(pooled.encode("same")).isNotEqualTo(pooled.encode("same"));
    }

    @Test
    void malformedStoredHashesNeverMatch() {
        String good = pooled.encode("pw");
        assertThat(pooled.matches("pw", good.replace("argon2id", "argon2x"))).isFalse();
        assertThat(pooled.matches("pw", good.replace("m=1024", "m=zz"))).isFalse();
        assertThat(pooled.matches("pw", good.replace("m=1024", "m=4"))).isFalse();
        assertThat(pooled.matches("pw", good.substring(0, good.lastIndexOf('$')))).isFalse();
        assertThat(pooled.matches("pw", good + "$extra")).isFalse();
        assertThat(pooled.matches("pw", good.substring(0, good.lastIndexOf('$') + 1) + "!!!!")).isFalse();
        assertThat(pooled.matches("pw", "")).isFalse();
        assertThat(pooled.matches("pw", null)).isFalse();
    }

    /** Blocks go back to one shared pool: hashes running side by side must not see each other's memory. */
    @Test
    void concurrentHashesSharingThePoolStayCorrect() throws Exception {
        List<String> passwords = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            passwords.add("password-" + i);
            hashes.add(pooled.encode("password-" + i));
        }
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try {
            List<Future<Boolean>> checks = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < 6; i++) {
                    int own = i;
                    int other = (i + 1) % 6;
                    checks.add(threads.submit(() -> pooled.matches(passwords.get(own), hashes.get(own))
                            && !pooled.matches(passwords.get(other), hashes.get(own))));
                }
            }
            for (Future<Boolean> check : checks) {
                assertThat(check.get()).isTrue();
            }
        }
        finally {
            threads.shutdownNow();
        }
    }

    @Test
    void whenTheLineOfWaitingHashesIsFullThenAFurtherCheckFailsAtOnceAsBusy() throws Exception {
        // one thread, one place in line, and a hash slow enough (~0.5 s) that ten checks released
        // together all arrive while the first is still running
        PooledArgon2PasswordEncoder bounded = new PooledArgon2PasswordEncoder(65536, 8, 1, 1);
        String hash = new PooledArgon2PasswordEncoder(1024, 1, 1).encode("pw");
        String slowHash = hash.replace("m=1024,t=1", "m=65536,t=8");
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(10);
        List<Future<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            outcomes.add(callers.submit(() -> {
                start.await();
                try {
                    bounded.matches("pw", slowHash);
                    return "checked";
                } catch (PooledArgon2PasswordEncoder.PasswordChecksBusyException busy) {
                    return "busy";
                }
            }));
        }
        start.countDown();
        List<String> results = new ArrayList<>();
        for (Future<String> outcome : outcomes) {
            results.add(outcome.get());
        }
        callers.shutdown();
        assertThat(results).contains("checked", "busy");
    }
}
