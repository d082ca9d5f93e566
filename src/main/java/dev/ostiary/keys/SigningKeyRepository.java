package dev.ostiary.keys;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface SigningKeyRepository extends JpaRepository<SigningKey, String> {

    List<SigningKey> findByStateNot(KeyState state);

    Optional<SigningKey> findByAlgorithmAndState(SigningAlgorithm algorithm, KeyState state);

    List<SigningKey> findByAlgorithmAndStateOrderByCreatedAtAsc(SigningAlgorithm algorithm, KeyState state);

    @Modifying
    @Query("delete from SigningKey k where (k.state = dev.ostiary.keys.KeyState.retired and k.publishUntil < :now)"
            + " or (k.state = dev.ostiary.keys.KeyState.revoked and k.revokedAt < :revokedBefore)")
    int deleteExpired(@Param("now") Instant now, @Param("revokedBefore") Instant revokedBefore);

    /**
     * Serializes key changes across every server instance on the database: the lock is held
     * until the surrounding transaction ends.
     */
    @Query(value = "select pg_try_advisory_xact_lock(4242001) ", nativeQuery = true)
    boolean tryLockForRotation();

    @Query(value = "select pg_advisory_xact_lock(4242001) is null", nativeQuery = true)
    boolean lockForRotation();
}
