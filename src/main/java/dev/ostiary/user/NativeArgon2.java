package dev.ostiary.user;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * The system's libargon2 (the reference implementation, with its SSE/AVX code) through JNA: on this
 * machine's CPU it hashes faster than Bouncy Castle's Java at the same parameters (docs/performance.md,
 * "Native Argon2id"), so the password grant and the login do more per second at equal strength.
 * <p>
 * It calls {@code argon2_ctx} rather than {@code argon2id_hash_raw} so that the working memory is this
 * thread's own, allocated once and handed to the library by the allocation callback: the library would
 * otherwise malloc and free the memory cost (7 MiB) on every hash, and whether glibc then keeps it or
 * gives it back (and faults it in again) depends on its heuristics and the JVM's periodic native-heap
 * trim. The library still wipes the blocks after each hash, and it wipes the password and secret it was
 * given ({@code ARGON2_FLAG_CLEAR_PASSWORD | ARGON2_FLAG_CLEAR_SECRET}); our own native buffer is zeroed
 * too. One lane at a time on the calling thread ({@code threads = 1}): the encoder's hashing threads
 * are the concurrency, the library starts none of its own.
 * <p>
 * libargon2 refuses salts shorter than 8 bytes, which RFC 9106 and Bouncy Castle allow; Ostiary writes
 * 16-byte salts, but a stored hash from elsewhere with a shorter one is checked by {@code shortSalts}.
 */
final class NativeArgon2 implements Argon2Engine {

    /** The soname: the ABI of every release since 20161029; the unversioned name needs the -dev package. */
    static final String LIBRARY = "libargon2.so.1";

    private static final int MIN_SALT_LENGTH = 8;
    private static final int ARGON2_OK = 0;
    private static final int ARGON2_FLAG_CLEAR_PASSWORD = 1;
    private static final int ARGON2_FLAG_CLEAR_SECRET = 1 << 1;

    private final LibArgon2 library;
    private final String libraryName;
    private final Argon2Engine shortSalts;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    private NativeArgon2(LibArgon2 library, String libraryName, Argon2Engine shortSalts) {
        this.library = library;
        this.libraryName = libraryName;
        this.shortSalts = shortSalts;
    }

    /**
     * @throws UnsatisfiedLinkError when the library (or JNA's own native part) cannot be loaded
     */
    static NativeArgon2 load(String libraryName, Argon2Engine shortSalts) {
        return new NativeArgon2(Native.load(libraryName, LibArgon2.class), libraryName, shortSalts);
    }

    @Override
    public String description() {
        return "libargon2 (native, " + libraryName + ", through JNA " + Native.VERSION + ")";
    }

    @Override
    public byte[] hash(Argon2Input input, byte[] password, int hashLength) {
        if (input.salt().length < MIN_SALT_LENGTH) {
            return shortSalts.hash(input, password, hashLength);
        }
        Scratch buffers = scratch.get();
        // one native buffer for what the library reads and writes: password, salt, secret, data, hash
        long passwordAt = 0;
        long saltAt = passwordAt + password.length;
        long secretAt = saltAt + input.salt().length;
        long dataAt = secretAt + input.secret().length;
        long outAt = dataAt + input.associatedData().length;
        Memory io = buffers.io(outAt + hashLength);
        try {
            io.write(passwordAt, password, 0, password.length);
            io.write(saltAt, input.salt(), 0, input.salt().length);
            io.write(secretAt, input.secret(), 0, input.secret().length);
            io.write(dataAt, input.associatedData(), 0, input.associatedData().length);
            Context context = buffers.context;
            context.out = io.share(outAt);
            context.outlen = hashLength;
            context.pwd = io.share(passwordAt);
            context.pwdlen = password.length;
            context.salt = io.share(saltAt);
            context.saltlen = input.salt().length;
            context.secret = input.secret().length == 0 ? null : io.share(secretAt);
            context.secretlen = input.secret().length;
            context.ad = input.associatedData().length == 0 ? null : io.share(dataAt);
            context.adlen = input.associatedData().length;
            context.t_cost = input.iterations();
            context.m_cost = input.memoryKib();
            context.lanes = input.lanes();
            context.threads = 1;
            context.version = input.version();
            context.allocate_cbk = buffers.allocate;
            context.free_cbk = buffers.free;
            context.flags = ARGON2_FLAG_CLEAR_PASSWORD | ARGON2_FLAG_CLEAR_SECRET;
            int result = library.argon2_ctx(context, input.type());
            if (result != ARGON2_OK) {
                throw new IllegalStateException("libargon2: " + library.argon2_error_message(result));
            }
            return io.getByteArray(outAt, hashLength);
        }
        finally {
            io.clear(outAt + hashLength);
        }
    }

    /** The functions of argon2.h used here. */
    public interface LibArgon2 extends Library {

        int argon2_ctx(Context context, int type);

        String argon2_error_message(int errorCode);
    }

    /** {@code argon2_context} of argon2.h, field for field. */
    @Structure.FieldOrder({ "out", "outlen", "pwd", "pwdlen", "salt", "saltlen", "secret", "secretlen", "ad", "adlen",
            "t_cost", "m_cost", "lanes", "threads", "version", "allocate_cbk", "free_cbk", "flags" })
    public static final class Context extends Structure {
        public Pointer out;
        public int outlen;
        public Pointer pwd;
        public int pwdlen;
        public Pointer salt;
        public int saltlen;
        public Pointer secret;
        public int secretlen;
        public Pointer ad;
        public int adlen;
        public int t_cost;
        public int m_cost;
        public int lanes;
        public int threads;
        public int version;
        public Allocate allocate_cbk;
        public Free free_cbk;
        public int flags;
    }

    /** {@code int (*allocate_fptr)(uint8_t **memory, size_t bytes_to_allocate)}; size_t is 64 bits on LP64. */
    public interface Allocate extends Callback {
        int invoke(Pointer memory, long bytes);
    }

    /** {@code void (*deallocate_fptr)(uint8_t *memory, size_t bytes_to_allocate)} */
    public interface Free extends Callback {
        void invoke(Pointer memory, long bytes);
    }

    /** One hashing thread's native memory, kept for its next hash; the callbacks hand it to the library. */
    private static final class Scratch {

        final Context context = new Context();
        private Memory working;
        private Memory io;

        /** Grows to the largest memory cost this thread has hashed with (stored hashes may differ). */
        final Allocate allocate = new Allocate() {
            @Override
            public int invoke(Pointer memory, long bytes) {
                if (working == null || working.size() < bytes) {
                    if (working != null) {
                        working.close();
                    }
                    working = new Memory(bytes);
                }
                memory.setPointer(0, working);
                return ARGON2_OK;
            }
        };

        /** Nothing to free: the memory stays this thread's (the library has wiped it). */
        final Free free = new Free() {
            @Override
            public void invoke(Pointer memory, long bytes) {
            }
        };

        Memory io(long size) {
            if (io == null || io.size() < size) {
                if (io != null) {
                    io.close();
                }
                io = new Memory(Math.max(size, 256));
            }
            return io;
        }
    }
}
