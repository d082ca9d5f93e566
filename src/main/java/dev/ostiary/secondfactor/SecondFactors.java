package dev.ostiary.secondfactor;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

import dev.ostiary.abuse.FailureCounters;
import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.crypto.MasterKey;
import dev.ostiary.login.EnrolledFactors;
import dev.ostiary.login.Factors;
import dev.ostiary.user.AppUser;

/**
 * A user's second factor: the authenticator app (TOTP) and its recovery codes. Enrolment, proof at
 * sign-in and at the password grant, removal. Lockout as for passwords ({@link FailureCounters}, its
 * own {@link FailureCounters.Kind#SECOND_FACTOR}): the attempt is taken before the code is checked,
 * in one conditional upsert, so concurrent guesses get at most {@code lockoutThreshold} checks per
 * window. A correct code reused (its step already accepted) is a failure like a wrong one.
 */
public class SecondFactors implements EnrolledFactors {

    private static final Logger log = LoggerFactory.getLogger(SecondFactors.class);
    private static final Set<String> APP_FACTORS = Set.of(Factors.TOTP, Factors.RECOVERY_CODE);

    /** How a proof ended. */
    public enum Outcome {
        ACCEPTED, REJECTED, LOCKED
    }

    /** What the enrolment page shows: the secret in base32 and the URI for the QR code. */
    public record Enrolment(String secret, String uri) {
        public String groupedSecret() {
            return Totp.grouped(secret);
        }
    }

    /** The outcome of a step that hands out new recovery codes (shown once). */
    public record Codes(Outcome outcome, List<String> recoveryCodes) {
    }

    private final TotpCredentials credentials;
    private final MasterKey masterKey;
    private final MasterKey previousMasterKey;
    private final SecretKeySpec recoveryKey;
    private final FailureCounters counters;
    private final SecondFactorProperties properties;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    /**
     * @param previousMasterKey during a master key rotation ({@code ostiary.keys.previous-master-key}),
     *        the key being replaced: a secret sealed under it is opened with it and sealed again under
     *        the current one; null otherwise
     */
    SecondFactors(TotpCredentials credentials, MasterKey masterKey, MasterKey previousMasterKey, byte[] recoveryKey,
            FailureCounters counters, SecondFactorProperties properties, ApplicationEventPublisher events,
            Clock clock) {
        this.credentials = credentials;
        this.masterKey = masterKey;
        this.previousMasterKey = previousMasterKey;
        this.recoveryKey = new SecretKeySpec(recoveryKey, "HmacSHA256");
        this.counters = counters;
        this.properties = properties;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public Set<String> enrolled(String username) {
        return username != null && credentials.confirmed(AppUser.normalize(username)) ? APP_FACTORS : Set.of();
    }

    /** Whether the user has an authenticator app enrolled (the password grant then needs {@code totp}). */
    public boolean hasApp(String username) {
        return !enrolled(username).isEmpty();
    }

    /** Proves the TOTP factor with a code from the app; the code's step is used up. */
    public Outcome proveTotp(String username, String code, String sourceIp) {
        return prove(AppUser.normalize(username), sourceIp, Factors.TOTP, (userId, stored) -> acceptTotp(stored, code));
    }

    /** Proves the second factor with one of the user's recovery codes, which is used up. */
    public Outcome proveRecoveryCode(String username, String code, String sourceIp) {
        return prove(AppUser.normalize(username), sourceIp, Factors.RECOVERY_CODE, (userId, stored) -> {
            String normalized = RecoveryCodes.normalize(code);
            return normalized != null && credentials.useRecoveryCode(userId, digest(userId, normalized));
        });
    }

    /** The pending enrolment of a user without an app, created on first call; empty once enrolled. */
    public Optional<Enrolment> pendingEnrolment(String username) {
        String name = AppUser.normalize(username);
        Optional<UUID> userId = credentials.userId(name);
        if (userId.isEmpty()) {
            return Optional.empty();
        }
        credentials.insertPending(userId.get(), masterKey.encrypt(Totp.newSecret(), userId.get().toString()),
                masterKey.id(), clock.instant());
        return credentials.find(userId.get()).filter(stored -> !stored.confirmed()).flatMap(this::open)
                .map(secret -> enrolment(name, Base32.encode(secret)));
    }

    /** Completes the pending enrolment with a first valid code; then ten new recovery codes. */
    public Codes confirmEnrolment(String username, String code, String sourceIp) {
        String name = AppUser.normalize(username);
        Optional<UUID> userId = credentials.userId(name);
        Optional<TotpCredentials.Stored> pending = userId.flatMap(credentials::find).filter(s -> !s.confirmed());
        if (pending.isEmpty()) {
            return new Codes(Outcome.REJECTED, List.of());
        }
        Outcome outcome = counted(name, sourceIp, Factors.TOTP, () -> {
            OptionalLong step = open(pending.get()).map(secret -> Totp.matchingStep(secret, code, clock.instant()))
                    .orElse(OptionalLong.empty());
            return step.isPresent() && credentials.confirm(userId.get(), step.getAsLong(), clock.instant());
        }, false);
        if (outcome != Outcome.ACCEPTED) {
            return new Codes(outcome, List.of());
        }
        audit(AuditEventType.SECOND_FACTOR_ENROLLED, name, sourceIp, Map.of("factor", "totp"));
        return new Codes(outcome, newRecoveryCodes(userId.get()));
    }

    /** Removes the app and the recovery codes, on a current TOTP code or a recovery code. */
    public Outcome disable(String username, String code, String sourceIp) {
        String name = AppUser.normalize(username);
        Outcome outcome = proveEither(name, code, sourceIp);
        if (outcome == Outcome.ACCEPTED) {
            credentials.userId(name).ifPresent(credentials::delete);
            audit(AuditEventType.SECOND_FACTOR_DISABLED, name, sourceIp, Map.of());
        }
        return outcome;
    }

    /**
     * An operator removes the authenticator app and its recovery codes (a lost phone): no code is asked
     * for. The user signs in with the password alone until they enrol again, unless another factor is
     * required of them.
     *
     * @return whether there was an app
     */
    public boolean removeByOperator(String username, String actor) {
        String name = AppUser.normalize(username);
        Optional<UUID> userId = credentials.userId(name);
        userId.ifPresent(credentials::delete);
        if (userId.isPresent()) {
            audit(AuditEventType.SECOND_FACTOR_DISABLED, actor, null, Map.of("target", name, "factor", "totp"));
        }
        return userId.isPresent();
    }

    /** Ten new recovery codes in place of the old ones, on a current TOTP code or a recovery code. */
    public Codes regenerateRecoveryCodes(String username, String code, String sourceIp) {
        String name = AppUser.normalize(username);
        Outcome outcome = proveEither(name, code, sourceIp);
        if (outcome != Outcome.ACCEPTED) {
            return new Codes(outcome, List.of());
        }
        UUID userId = credentials.userId(name).orElseThrow();
        List<String> codes = newRecoveryCodes(userId);
        audit(AuditEventType.RECOVERY_CODES_REGENERATED, name, sourceIp, Map.of());
        return new Codes(outcome, codes);
    }

    public int recoveryCodesLeft(String username) {
        return credentials.userId(AppUser.normalize(username)).map(credentials::recoveryCodesLeft).orElse(0);
    }

    /** A six-digit shape means a TOTP code, anything else is tried as a recovery code. */
    private Outcome proveEither(String name, String code, String sourceIp) {
        return Totp.normalize(code) != null ? proveTotp(name, code, sourceIp) : proveRecoveryCode(name, code, sourceIp);
    }

    private interface Check {
        boolean passes(UUID userId, TotpCredentials.Stored stored);
    }

    private Outcome prove(String name, String sourceIp, String factor, Check check) {
        Optional<UUID> userId = credentials.userId(name);
        Optional<TotpCredentials.Stored> stored = userId.flatMap(credentials::find)
                .filter(TotpCredentials.Stored::confirmed);
        return counted(name, sourceIp, factor, () -> stored.isPresent() && check.passes(userId.get(), stored.get()),
                true);
    }

    /**
     * One counted attempt: taken before the check (refused unchecked when none is left), ended as a
     * failure or a success.
     */
    private Outcome counted(String name, String sourceIp, String factor, java.util.function.BooleanSupplier check,
            boolean auditSuccess) {
        FailureCounters.Limit limit = new FailureCounters.Limit(properties.lockoutThreshold(),
                properties.lockoutWindow(), properties.lockoutDuration());
        if (counters.tryAttempt(FailureCounters.Kind.SECOND_FACTOR, name, limit).isEmpty()) {
            audit(AuditEventType.SECOND_FACTOR_FAILED, name, sourceIp, Map.of("factor", factorName(factor),
                    "reason", "locked"));
            return Outcome.LOCKED;
        }
        boolean passed;
        try {
            passed = check.getAsBoolean();
        } catch (RuntimeException e) {
            counters.attemptReleased(FailureCounters.Kind.SECOND_FACTOR, name);
            throw e;
        }
        if (passed) {
            counters.attemptSucceeded(FailureCounters.Kind.SECOND_FACTOR, name);
            if (auditSuccess) {
                audit(Factors.RECOVERY_CODE.equals(factor) ? AuditEventType.RECOVERY_CODE_USED
                        : AuditEventType.SECOND_FACTOR_SUCCEEDED, name, sourceIp, Map.of("factor", factorName(factor)));
            }
            return Outcome.ACCEPTED;
        }
        FailureCounters.Count count = counters.attemptFailed(FailureCounters.Kind.SECOND_FACTOR, name, limit);
        audit(AuditEventType.SECOND_FACTOR_FAILED, name, sourceIp, Map.of("factor", factorName(factor),
                "failures", count.failures()));
        if (count.locked(clock.instant())) {
            audit(AuditEventType.SECOND_FACTOR_LOCKED, name, sourceIp, Map.of("until", count.lockedUntil().toString()));
            return Outcome.LOCKED;
        }
        return Outcome.REJECTED;
    }

    private boolean acceptTotp(TotpCredentials.Stored stored, String code) {
        OptionalLong step = open(stored).map(secret -> Totp.matchingStep(secret, code, clock.instant()))
                .orElse(OptionalLong.empty());
        return step.isPresent() && credentials.accept(stored.userId(), step.getAsLong());
    }

    private Optional<byte[]> open(TotpCredentials.Stored stored) {
        String userId = stored.userId().toString();
        try {
            if (previousMasterKey != null && previousMasterKey.id().equals(stored.masterKeyId())) {
                byte[] secret = previousMasterKey.decrypt(stored.sealed(), userId);
                credentials.reseal(stored.userId(), stored.sealed(), masterKey.encrypt(secret, userId), masterKey.id());
                return Optional.of(secret);
            }
            return Optional.of(masterKey.decrypt(stored.sealed(), userId));
        } catch (GeneralSecurityException e) {
            // another master key, or a row moved onto another user: nothing this server can check against
            log.warn("A TOTP secret does not decrypt under master key {} (sealed under {})", masterKey.id(),
                    stored.masterKeyId());
            return Optional.empty();
        }
    }

    private List<String> newRecoveryCodes(UUID userId) {
        List<String> codes = RecoveryCodes.generate();
        credentials.replaceRecoveryCodes(userId, codes.stream()
                .map(code -> digest(userId, RecoveryCodes.normalize(code))).toList(), clock.instant());
        return codes;
    }

    /** HMAC-SHA-256 of the user's id and the normalized code: a digest copied to another user matches nothing. */
    private byte[] digest(UUID userId, String normalizedCode) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(recoveryKey);
            return mac.doFinal((userId + ":" + normalizedCode).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Enrolment enrolment(String username, String secret) {
        String issuer = properties.issuer();
        // Key Uri Format (google-authenticator wiki): label issuer:account, issuer parameter repeated
        String uri = "otpauth://totp/" + encode(issuer) + ":" + encode(username) + "?secret=" + secret
                + "&issuer=" + encode(issuer) + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.STEP_SECONDS;
        return new Enrolment(secret, uri);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String factorName(String factor) {
        return Factors.RECOVERY_CODE.equals(factor) ? "recovery_code" : "totp";
    }

    private void audit(AuditEventType type, String username, String sourceIp, Map<String, Object> details) {
        events.publishEvent(new AuditEvent(clock.instant(), type, null, username, sourceIp, details));
    }

    Instant now() {
        return clock.instant();
    }
}
