package dev.ostiary.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import dev.ostiary.crypto.MasterKey;
import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.support.TestClocks;

/**
 * The signing key schedule of {@link SigningKeyService} on a clock the test moves, over an in-memory key
 * table: next key {@code nextKeyLeadTime} before the period is over, promotion once the period is over
 * and the next key has been published for the lead time, retirement until every token has expired,
 * deletion after. (KeyLifecycleTest proves the same over HTTP and PostgreSQL once, without the edge cases.)
 */
@Tag("unit")
class SigningKeyScheduleTest {

    private static final Duration PERIOD = Duration.ofDays(30);
    private static final Duration LEAD = Duration.ofHours(1);
    private static final Duration SKEW = Duration.ofSeconds(60);
    private static final Duration LONGEST_TOKEN = Duration.ofMinutes(5);
    private static final KeysProperties PROPERTIES = new KeysProperties("", List.of(SigningAlgorithm.ES256), PERIOD,
            LEAD, SKEW, Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofMinutes(5), true, "", false, 1000);

    private final TestClocks.Movable clock = TestClocks.movable();
    private final Map<String, SigningKey> table = new LinkedHashMap<>();
    private final AtomicBoolean lockedElsewhere = new AtomicBoolean();
    private final List<AuditEvent> events = new ArrayList<>();
    private final SigningKeyCipher cipher = new SigningKeyCipher(MasterKey.generate(), null);
    private SigningKeySet keySet;
    private SigningKeyService keys;

    @BeforeEach
    void setUp() {
        SigningKeyRepository repository = inMemory();
        keySet = new SigningKeySet(repository, cipher, clock);
        keys = new SigningKeyService(repository, cipher, keySet, PROPERTIES, () -> LONGEST_TOKEN,
                transactionsRunningInline(), event -> events.add((AuditEvent) event), clock);
        keys.ensureSigningKeys();
        events.clear();
    }

    private String active() {
        return keySet.current().activeKey(SigningAlgorithm.ES256).orElseThrow().getKeyID();
    }

    private List<String> published() {
        return keySet.current().publishedKeys().stream().map(k -> k.getKeyID()).toList();
    }

    private List<SigningKey> inState(KeyState state) {
        return table.values().stream().filter(k -> k.state() == state).toList();
    }

    private List<AuditEventType> eventTypes() {
        return events.stream().map(AuditEvent::type).toList();
    }

    @Test
    void whenNoKeyThenEnsureCreatesAnActiveKeyThatSigns() {
        assertThat(inState(KeyState.active)).hasSize(1);
        assertThat(active()).isEqualTo(inState(KeyState.active).get(0).kid());
        assertThat(published()).containsExactly(active());
    }

    @Test
    void whenActiveKeyIsYoungerThanPeriodMinusLeadTimeThenNothingChanges() {
        clock.advance(PERIOD.minus(LEAD).minusSeconds(1));
        assertThat(keys.rotateIfDue()).isFalse();
        assertThat(inState(KeyState.next)).isEmpty();
        assertThat(events).isEmpty();
    }

    @Test
    void whenLeadTimeBeforeDueThenNextKeyIsPublishedButTheActiveKeyKeepsSigning() {
        String first = active();
        clock.advance(PERIOD.minus(LEAD));
        assertThat(keys.rotateIfDue()).isTrue();
        List<SigningKey> next = inState(KeyState.next);
        assertThat(next).hasSize(1);
        assertThat(published()).containsExactlyInAnyOrder(first, next.get(0).kid());
        assertThat(active()).isEqualTo(first);
        assertThat(eventTypes()).containsExactly(AuditEventType.KEY_CREATED);

        // nothing more to do until the period is over
        clock.advance(LEAD.minusSeconds(1));
        assertThat(keys.rotateIfDue()).isFalse();
    }

    @Test
    void whenPeriodOverAndNextKeyPublishedForTheLeadTimeThenPromotedAndOldKeyRetiredUntilTokensExpire() {
        String first = active();
        clock.advance(PERIOD.minus(LEAD));
        keys.rotateIfDue();
        String next = inState(KeyState.next).get(0).kid();
        clock.advance(LEAD);
        Instant promotedAt = clock.instant();

        assertThat(keys.rotateIfDue()).isTrue();
        assertThat(active()).isEqualTo(next);
        SigningKey retired = table.get(first);
        assertThat(retired.state()).isEqualTo(KeyState.retired);
        assertThat(retired.retiredAt()).isEqualTo(promotedAt);
        assertThat(retired.publishUntil()).isEqualTo(promotedAt.plus(LONGEST_TOKEN).plus(SKEW));
        assertThat(published()).containsExactlyInAnyOrder(first, next);
        assertThat(eventTypes()).containsExactly(AuditEventType.KEY_CREATED, AuditEventType.KEY_RETIRED,
                AuditEventType.KEY_ACTIVATED);
    }

    @Test
    void whenPeriodOverButNextKeyPublishedForLessThanTheLeadTimeThenNotPromotedYet() {
        // the schedule did not run during the lead time (all instances down): the next key comes late
        String first = active();
        clock.advance(PERIOD.plusHours(2));
        assertThat(keys.rotateIfDue()).isTrue();
        String next = inState(KeyState.next).get(0).kid();
        clock.advance(LEAD.minusSeconds(1));
        assertThat(keys.rotateIfDue()).isFalse();
        assertThat(active()).isEqualTo(first);
        clock.advance(Duration.ofSeconds(1));
        assertThat(keys.rotateIfDue()).isTrue();
        assertThat(active()).isEqualTo(next);
    }

    @Test
    void whenRetiredKeysPublicationEndsThenItLeavesTheJwksAndIsDeleted() {
        String first = active();
        clock.advance(PERIOD.minus(LEAD));
        keys.rotateIfDue();
        clock.advance(LEAD);
        keys.rotateIfDue();
        Instant publishUntil = table.get(first).publishUntil();

        clock.advance(Duration.between(clock.instant(), publishUntil));
        keys.rotateIfDue();
        assertThat(table).containsKey(first);
        clock.advance(Duration.ofSeconds(1));
        keys.rotateIfDue();
        assertThat(table).doesNotContainKey(first);
        keySet.reload();
        assertThat(published()).doesNotContain(first);
    }

    @Test
    void whenRevokedKeyIsThirtyDaysOldThenDeleted() {
        String first = active();
        assertThat(keys.revoke(first)).isTrue();
        assertThat(published()).doesNotContain(first);
        assertThat(active()).isNotEqualTo(first);
        clock.advance(Duration.ofDays(30));
        keys.rotateIfDue();
        assertThat(table).containsKey(first);
        clock.advance(Duration.ofSeconds(1));
        keys.rotateIfDue();
        assertThat(table).doesNotContainKey(first);
    }

    @Test
    void whenAnotherInstanceHoldsTheLockThenTheScheduleSkipsThisRound() {
        lockedElsewhere.set(true);
        clock.advance(PERIOD);
        assertThat(keys.rotateIfDue()).isFalse();
        assertThat(inState(KeyState.next)).isEmpty();
    }

    @Test
    void whenRotatedNowThenThePublishedNextKeySignsAndAFreshNextKeyIsPublished() {
        String first = active();
        clock.advance(PERIOD.minus(LEAD));
        keys.rotateIfDue();
        String next = inState(KeyState.next).get(0).kid();

        assertThat(keys.rotateNow(SigningAlgorithm.ES256)).isEqualTo(next);
        assertThat(active()).isEqualTo(next);
        assertThat(table.get(first).state()).isEqualTo(KeyState.retired);
        assertThat(inState(KeyState.next)).hasSize(1).noneMatch(k -> k.kid().equals(next));
        assertThat(eventTypes()).endsWith(AuditEventType.KEY_ROTATED);
    }

    @Test
    void whenUnknownOrAlreadyRevokedKidThenRevokeSaysNo() {
        assertThat(keys.revoke("no-such-kid")).isFalse();
        String first = active();
        assertThat(keys.revoke(first)).isTrue();
        assertThat(keys.revoke(first)).isFalse();
    }

    @Test
    void whenActiveKeyWasSealedUnderAnotherMasterKeyThenRetiredAndReplaced() {
        String first = active();
        SigningKeyCipher otherInstance = new SigningKeyCipher(MasterKey.generate(), null);
        // another instance on the same key table, with a master key of its own
        SigningKeyService other = new SigningKeyService(inMemory(), otherInstance,
                new SigningKeySet(inMemory(), otherInstance, clock), PROPERTIES, () -> LONGEST_TOKEN,
                transactionsRunningInline(), event -> { }, clock);
        other.ensureSigningKeys();
        assertThat(table.get(first).state()).isEqualTo(KeyState.retired);
        assertThat(inState(KeyState.active)).singleElement()
                .satisfies(k -> assertThat(k.masterKeyId()).isEqualTo(otherInstance.masterKeyId()));
    }

    /** Runs the change at once: the in-memory table needs no transaction, and no other instance takes the lock. */
    private static TransactionTemplate transactionsRunningInline() {
        TransactionTemplate transactions = mock(TransactionTemplate.class);
        when(transactions.execute(any())).thenAnswer(call -> ((TransactionCallback<?>) call.getArgument(0))
                .doInTransaction(null));
        return transactions;
    }

    /** The key table as the service uses it, in a map. */
    private SigningKeyRepository inMemory() {
        SigningKeyRepository repository = mock(SigningKeyRepository.class);
        when(repository.save(any())).thenAnswer(call -> {
            SigningKey key = call.getArgument(0);
            table.put(key.kid(), key);
            return key;
        });
        when(repository.findAll()).thenAnswer(call -> List.copyOf(table.values()));
        when(repository.findById(any())).thenAnswer(call -> Optional.ofNullable(table.get((String) call.getArgument(0))));
        when(repository.findByStateNot(any())).thenAnswer(call -> table.values().stream()
                .filter(k -> k.state() != call.getArgument(0)).toList());
        when(repository.findByAlgorithmAndState(any(), any())).thenAnswer(call -> table.values().stream()
                .filter(k -> k.algorithm() == call.getArgument(0) && k.state() == call.getArgument(1)).findFirst());
        when(repository.findByAlgorithmAndStateOrderByCreatedAtAsc(any(), any())).thenAnswer(call -> table.values()
                .stream().filter(k -> k.algorithm() == call.getArgument(0) && k.state() == call.getArgument(1))
                .sorted(Comparator.comparing(SigningKey::createdAt)).toList());
        when(repository.deleteExpired(any(), any())).thenAnswer(call -> {
            Instant now = call.getArgument(0);
            Instant revokedBefore = call.getArgument(1);
            List<String> expired = table.values().stream()
                    .filter(k -> (k.state() == KeyState.retired && k.publishUntil().isBefore(now))
                            || (k.state() == KeyState.revoked && k.revokedAt().isBefore(revokedBefore)))
                    .map(SigningKey::kid).toList();
            expired.forEach(table::remove);
            return expired.size();
        });
        when(repository.tryLockForRotation()).thenAnswer(call -> !lockedElsewhere.get());
        when(repository.lockForRotation()).thenReturn(true);
        return repository;
    }
}
