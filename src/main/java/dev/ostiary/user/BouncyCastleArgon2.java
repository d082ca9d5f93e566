package dev.ostiary.user;

import java.util.ArrayDeque;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Bouncy Castle's Argon2 in pure Java, with the memory blocks reused (Bouncy Castle's {@code BlockPool}
 * hook). Spring's {@code Argon2PasswordEncoder} allocates the whole memory cost (7 to 19 MiB at OWASP's
 * parameters) on every verification: at the password grant's rate that is up to 1 GB/s of garbage that
 * is still live when the young generation is collected, so the collector copies it, and a small heap
 * spends its time in GC instead of hashing (measured with a 128 MiB heap: half the hashes per second).
 * One pool per hashing thread: one shared pool (Bouncy Castle's {@code FixedBlockPool}) synchronizes on
 * each of the thousands of blocks a hash takes and gives back (measured: two threads then hash a third
 * slower).
 */
final class BouncyCastleArgon2 implements Argon2Engine {

    private final ThreadLocal<WorkingMemory> memory = ThreadLocal.withInitial(WorkingMemory::new);

    @Override
    public String description() {
        return "Bouncy Castle (Java)";
    }

    @Override
    public byte[] hash(Argon2Input input, byte[] password, int hashLength) {
        WorkingMemory blocks = memory.get();
        blocks.ensureCapacity(Argon2BytesGenerator.getBlockCount(input.memoryKib(), input.lanes()));
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(input.type())
                .withVersion(input.version())
                .withSalt(input.salt())
                .withSecret(input.secret())
                .withAdditional(input.associatedData())
                .withParallelism(input.lanes())
                .withMemoryAsKB(input.memoryKib())
                .withIterations(input.iterations())
                .withBlockPool(blocks)
                .build());
        byte[] out = new byte[hashLength];
        generator.generateBytes(password, out);
        return out;
    }

    /**
     * The blocks of one hashing thread, reused by each of its hashes, so they need no lock. First in,
     * first out: each hash gets the blocks in the order the previous one had them.
     */
    private static final class WorkingMemory implements Argon2BytesGenerator.BlockPool {

        private final ArrayDeque<Argon2BytesGenerator.Block> blocks = new ArrayDeque<>();
        private int capacity;

        /** Kept for the largest memory cost this thread has hashed with (stored hashes may differ). */
        void ensureCapacity(int blockCount) {
            capacity = Math.max(capacity, blockCount);
        }

        @Override
        public Argon2BytesGenerator.Block allocate() {
            Argon2BytesGenerator.Block block = blocks.pollFirst();
            return block != null ? block : new Argon2BytesGenerator.Block();
        }

        @Override
        public void deallocate(Argon2BytesGenerator.Block block) {
            if (blocks.size() < capacity) {
                blocks.addLast(block);
            }
        }
    }
}
