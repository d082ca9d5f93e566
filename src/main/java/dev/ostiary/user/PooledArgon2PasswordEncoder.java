package dev.ostiary.user;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.bouncycastle.crypto.params.Argon2Parameters;
import org.springframework.security.crypto.keygen.BytesKeyGenerator;
import org.springframework.security.crypto.keygen.KeyGenerators;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Argon2 password hashes in the string format Spring's {@code Argon2PasswordEncoder} reads and writes
 * ({@code $argon2id$v=19$m=7168,t=5,p=1$salt$hash}, so the two verify each other's hashes), computed
 * by the system's libargon2 where it is installed and passes a known-answer test, else by Bouncy
 * Castle with reused memory (see {@link Argon2Engines}, {@link NativeArgon2}, {@link BouncyCastleArgon2};
 * both compute the same bytes). What matters under load:
 * <ul>
 * <li>Hashes run on {@code concurrency} platform threads of their own (one per core by default), each
 * with its own working memory; further hashes wait in line. More at once would not finish sooner,
 * since the hash is CPU-bound, but they would evict each other's working set from the CPU caches and
 * hold the memory cost each, so a burst of logins could exhaust the memory. Platform threads, not the
 * caller's: a virtual thread computing a hash holds its carrier for the whole 25 ms, and with every
 * carrier hashing, the virtual threads that hold a database connection and only need a moment to
 * give it back were starved until the connection pool timed out (measured: 503s at 4 connections).
 * The operating system time-slices platform threads, so everything else keeps moving.</li>
 * <li>The line is bounded ({@code queueCapacity}): when it is full a check fails at once with
 * {@link PasswordChecksBusyException} instead of waiting behind seconds of work, so a flood of
 * logins (spread over many names and addresses, which the lockout does not bound) costs a bounded
 * queue, not an unbounded one, and the caller can answer "try later".</li>
 * <li>The password's bytes are zeroed once hashed (Java cannot wipe the caller's String; it can wipe
 * the copies made here, and the native engine wipes its own).</li>
 * </ul>
 */
public final class PooledArgon2PasswordEncoder implements PasswordEncoder {

    private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder BASE64_DECODER = Base64.getDecoder();
    private static final int SALT_LENGTH = 16;
    private static final int HASH_LENGTH = 32;

    private final int memoryKib;
    private final int iterations;
    private final Argon2Engine engine;
    private final ExecutorService hashers;
    private final BytesKeyGenerator salts = KeyGenerators.secureRandom(SALT_LENGTH);

    /** No bound on the line: for tools and tests that hash without callers waiting. */
    public PooledArgon2PasswordEncoder(int memoryKib, int iterations, int concurrency) {
        this(memoryKib, iterations, concurrency, Integer.MAX_VALUE);
    }

    /** The implementation chosen as {@link Argon2Implementation#AUTO} does. */
    public PooledArgon2PasswordEncoder(int memoryKib, int iterations, int concurrency, int queueCapacity) {
        this(memoryKib, iterations, concurrency, queueCapacity, Argon2Implementation.AUTO);
    }

    /**
     * @param memoryKib memory cost in KiB (OWASP: 7168 with 5 iterations, or 19456 with 2, ...)
     * @param iterations time cost
     * @param concurrency hashes computed at once; the others wait
     * @param queueCapacity hashes that may wait; beyond, a check fails at once
     * @param implementation which Argon2 computes the hashes (chosen, tested and logged here)
     */
    public PooledArgon2PasswordEncoder(int memoryKib, int iterations, int concurrency, int queueCapacity,
            Argon2Implementation implementation) {
        this(memoryKib, iterations, concurrency, queueCapacity, Argon2Engines.select(implementation));
    }

    PooledArgon2PasswordEncoder(int memoryKib, int iterations, int concurrency, int queueCapacity,
            Argon2Engine engine) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be at least 1");
        }
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.engine = engine;
        AtomicInteger threads = new AtomicInteger();
        this.hashers = new ThreadPoolExecutor(concurrency, concurrency, 0L, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(queueCapacity), task -> {
                    Thread thread = new Thread(task, "argon2-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** What computes the hashes, as logged at start (for tools such as bench/Argon2Rate.java). */
    public String implementation() {
        return engine.description();
    }

    @Override
    public String encode(CharSequence rawPassword) {
        StoredHash hash = new StoredHash(Argon2Parameters.ARGON2_id, Argon2Parameters.ARGON2_VERSION_13, memoryKib,
                iterations, 1, salts.generateKey(), null);
        return hash.withHash(compute(rawPassword, hash, HASH_LENGTH)).toString();
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        if (rawPassword == null || encodedPassword == null) {
            return false;
        }
        StoredHash stored = StoredHash.parse(encodedPassword);
        if (stored == null) {
            return false;
        }
        return MessageDigest.isEqual(stored.hash(), compute(rawPassword, stored, stored.hash().length));
    }

    /**
     * Whether a hash was written with a weaker setting than today's. Spring rehashes such a password at
     * the next login only where a UserDetailsPasswordService is configured, which Ostiary does not do:
     * stored hashes keep the cost they were written with.
     */
    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        StoredHash stored = StoredHash.parse(encodedPassword);
        return stored != null && (stored.type() != Argon2Parameters.ARGON2_id
                || stored.memoryKib() < memoryKib || stored.iterations() < iterations);
    }

    private byte[] compute(CharSequence rawPassword, StoredHash parameters, int hashLength) {
        byte[] password = utf8(rawPassword);
        try {
            Argon2Engine.Argon2Input input = Argon2Engine.Argon2Input.of(parameters.type(), parameters.version(),
                    parameters.memoryKib(), parameters.iterations(), parameters.parallelism(), parameters.salt());
            Future<byte[]> hash;
            try {
                hash = hashers.submit(() -> engine.hash(input, password, hashLength));
            } catch (RejectedExecutionException full) {
                throw new PasswordChecksBusyException();
            }
            return await(hash);
        }
        finally {
            // await() returns only once the hash is done with them
            Arrays.fill(password, (byte) 0);
        }
    }

    /** The password as UTF-8 without another String of it; the encoder's buffer is zeroed here. */
    private static byte[] utf8(CharSequence rawPassword) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(rawPassword));
        byte[] password = new byte[encoded.remaining()];
        encoded.get(password);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return password;
    }

    private static byte[] await(Future<byte[]> hash) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return hash.get();
                }
                catch (InterruptedException e) {
                    // a login must not fail half-way; the interrupt is passed on once we are done
                    interrupted = true;
                }
                catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
                }
            }
        }
        finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Too many password checks are waiting already: the caller should answer "temporarily
     * unavailable" (HTTP 429/503) rather than queue more. An AuthenticationException, so Spring
     * Security's login handling reports it as a failed login rather than a server error.
     */
    public static final class PasswordChecksBusyException
            extends org.springframework.security.authentication.AuthenticationServiceException {

        public PasswordChecksBusyException() {
            super("Too many password checks in progress; try again later");
        }
    }

    /** One stored hash: {@code $argon2id$v=19$m=<KiB>,t=<iterations>,p=<lanes>$<salt>$<hash>}. */
    record StoredHash(int type, int version, int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {

        StoredHash withHash(byte[] newHash) {
            return new StoredHash(type, version, memoryKib, iterations, parallelism, salt, newHash);
        }

        /** @return the parts, or null when the text is not an Argon2 hash we can check */
        static StoredHash parse(String encoded) {
            String[] parts = encoded.split("\\$");
            if (parts.length < 5 || !parts[0].isEmpty()) {
                return null;
            }
            int type = switch (parts[1]) {
                case "argon2id" -> Argon2Parameters.ARGON2_id;
                case "argon2i" -> Argon2Parameters.ARGON2_i;
                case "argon2d" -> Argon2Parameters.ARGON2_d;
                default -> -1;
            };
            if (type < 0) {
                return null;
            }
            int next = 2;
            int version = Argon2Parameters.ARGON2_VERSION_10;
            if (parts[next].startsWith("v=")) {
                version = parseInt(parts[next].substring(2));
                next++;
            }
            if (parts.length != next + 3) {
                return null;
            }
            int memory = -1;
            int time = -1;
            int lanes = -1;
            for (String setting : parts[next].split(",")) {
                if (setting.startsWith("m=")) {
                    memory = parseInt(setting.substring(2));
                }
                else if (setting.startsWith("t=")) {
                    time = parseInt(setting.substring(2));
                }
                else if (setting.startsWith("p=")) {
                    lanes = parseInt(setting.substring(2));
                }
            }
            if ((version != Argon2Parameters.ARGON2_VERSION_10 && version != Argon2Parameters.ARGON2_VERSION_13)
                    || memory < 8 || time < 1 || lanes < 1 || memory < 8 * lanes) {
                return null;
            }
            try {
                byte[] salt = BASE64_DECODER.decode(parts[next + 1]);
                byte[] hash = BASE64_DECODER.decode(parts[next + 2]);
                return hash.length < 4 ? null : new StoredHash(type, version, memory, time, lanes, salt, hash);
            }
            catch (IllegalArgumentException notBase64) {
                return null;
            }
        }

        private static int parseInt(String value) {
            try {
                return Integer.parseInt(value);
            }
            catch (NumberFormatException notANumber) {
                return -1;
            }
        }

        @Override
        public String toString() {
            String name = switch (type) {
                case Argon2Parameters.ARGON2_id -> "argon2id";
                case Argon2Parameters.ARGON2_i -> "argon2i";
                default -> "argon2d";
            };
            return "$" + name + "$v=" + version + "$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism
                    + "$" + BASE64.encodeToString(salt) + "$" + BASE64.encodeToString(hash);
        }
    }
}
