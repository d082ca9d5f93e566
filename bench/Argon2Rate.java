import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.security.crypto.password.PasswordEncoder;

import dev.ostiary.user.Argon2Implementation;
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
 * java -cp '/tmp/ostiary-lib/BOOT-INF/classes:/tmp/ostiary-lib/BOOT-INF/lib/*' bench/Argon2Rate.java [threads] [seconds] [memoryKib] [iterations]
 * java -cp ... bench/Argon2Rate.java compare [seconds] [rounds] [memoryKib] [iterations]</pre>
 * The first form measures the implementation the server would choose (ostiary.users.argon2-implementation=auto:
 * the system's libargon2, else Bouncy Castle). {@code compare} measures the native one against Bouncy
 * Castle in one JVM, interleaved (native, BC, BC, native, ... so drift of the VM's speed falls on both),
 * on one thread and on every core, and prints each round and the median of the per-round ratios.
 */
public class Argon2Rate {

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("compare")) {
            compare(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int memoryKib = args.length > 2 ? Integer.parseInt(args[2]) : 7168;
        int iterations = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        PooledArgon2PasswordEncoder encoder = new PooledArgon2PasswordEncoder(memoryKib, iterations, threads);
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
                "ARGON2 memory_kib=%d iterations=%d parallelism=1 threads=%d per_s=%.1f rounds=%s single_thread_per_s=%.1f ms_per_hash=%.1f implementation=%s%n",
                memoryKib, iterations, threads, best, rounds, single, 1000 / single,
                encoder.implementation().replace(' ', '_'));
    }

    /** Native against Bouncy Castle, interleaved rounds, 1 thread and all cores. */
    static void compare(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int memoryKib = args.length > 2 ? Integer.parseInt(args[2]) : 7168;
        int iterations = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        int cores = Runtime.getRuntime().availableProcessors();
        PooledArgon2PasswordEncoder nativeArgon2 = new PooledArgon2PasswordEncoder(memoryKib, iterations, cores,
                Integer.MAX_VALUE, Argon2Implementation.NATIVE);
        PooledArgon2PasswordEncoder bouncyCastle = new PooledArgon2PasswordEncoder(memoryKib, iterations, cores,
                Integer.MAX_VALUE, Argon2Implementation.BOUNCY_CASTLE);
        // each verifies the other's hash: the comparison is of the same work
        String hash = bouncyCastle.encode("alice-pw");
        if (!nativeArgon2.matches("alice-pw", hash) || !bouncyCastle.matches("alice-pw", nativeArgon2.encode("alice-pw"))) {
            throw new IllegalStateException("the implementations do not verify each other's hashes");
        }
        run(nativeArgon2, hash, cores, 5);
        run(bouncyCastle, hash, cores, 5);
        for (int threads : new int[] { 1, cores }) {
            double[] ratios = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                boolean nativeFirst = round % 2 == 0;
                double first = run(nativeFirst ? nativeArgon2 : bouncyCastle, hash, threads, seconds);
                double second = run(nativeFirst ? bouncyCastle : nativeArgon2, hash, threads, seconds);
                double n = nativeFirst ? first : second;
                double b = nativeFirst ? second : first;
                ratios[round] = n / b;
                System.out.printf(Locale.ROOT, "ROUND threads=%d round=%d native_per_s=%.1f bouncy_castle_per_s=%.1f ratio=%.3f%n",
                        threads, round + 1, n, b, n / b);
            }
            double[] sorted = ratios.clone();
            Arrays.sort(sorted);
            double median = rounds % 2 == 1 ? sorted[rounds / 2] : (sorted[rounds / 2 - 1] + sorted[rounds / 2]) / 2;
            System.out.printf(Locale.ROOT, "COMPARE memory_kib=%d iterations=%d threads=%d rounds=%d native_over_bouncy_castle_median=%.3f min=%.3f max=%.3f%n",
                    memoryKib, iterations, threads, rounds, median, sorted[0], sorted[rounds - 1]);
        }
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
