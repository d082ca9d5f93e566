import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.security.crypto.password.PasswordEncoder;

import dev.ostiary.user.PooledArgon2PasswordEncoder;

/**
 * The password grant's hash-bound limit: how many Argon2id verifications per second one JVM does with
 * the server's own encoder and default parameters (PooledArgon2PasswordEncoder, 7 MiB, 5 iterations,
 * see UserProperties), on as many threads as the machine has cores, and nothing else. A password grant
 * cannot go faster than this, since each one verifies one password. run.sh starts it with the
 * server's own JVM options, before and after the password grant, and takes the median of their rounds.
 *
 * Run on the server jar's own classes and libraries, so it is the same code the server runs:
 * <pre>unzip -q target/ostiary-*.jar 'BOOT-INF/*' -d /tmp/ostiary-lib
 * java -cp '/tmp/ostiary-lib/BOOT-INF/classes:/tmp/ostiary-lib/BOOT-INF/lib/*' bench/Argon2Rate.java [threads] [seconds] [memoryKib] [iterations]</pre>
 */
public class Argon2Rate {

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int memoryKib = args.length > 2 ? Integer.parseInt(args[2]) : 7168;
        int iterations = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        PasswordEncoder encoder = new PooledArgon2PasswordEncoder(memoryKib, iterations, threads);
        String hash = encoder.encode("alice-pw");

        // Warm-up on every thread, so the JIT has compiled the hash the way the load uses it; then three
        // rounds, each printed (run.sh takes the median of the rounds around the password grant), and the best.
        run(encoder, hash, threads, 5);
        double single = run(encoder, hash, 1, Math.max(2, seconds / 2));
        double best = 0;
        StringBuilder rounds = new StringBuilder();
        for (int round = 0; round < 3; round++) {
            double rate = run(encoder, hash, threads, seconds);
            best = Math.max(best, rate);
            rounds.append(round == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.1f", rate));
        }
        System.out.printf(Locale.ROOT,
                "ARGON2 memory_kib=%d iterations=%d parallelism=1 threads=%d per_s=%.1f rounds=%s single_thread_per_s=%.1f ms_per_hash=%.1f%n",
                memoryKib, iterations, threads, best, rounds, single, 1000 / single);
    }

    /** Verifications per second over {@code seconds}, on {@code threads} threads. */
    static double run(PasswordEncoder encoder, String hash, int threads, int seconds) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    if (!encoder.matches("alice-pw", hash)) {
                        throw new IllegalStateException("hash does not verify");
                    }
                    done.incrementAndGet();
                }
            });
            t.start();
            ts.add(t);
        }
        for (Thread t : ts) {
            t.join();
        }
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }
}
