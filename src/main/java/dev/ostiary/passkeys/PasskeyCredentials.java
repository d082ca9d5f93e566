package dev.ostiary.passkeys;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.webauthn.api.AuthenticatorTransport;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.CredentialRecord;
import org.springframework.security.web.webauthn.management.JdbcUserCredentialRepository;
import org.springframework.security.web.webauthn.management.UserCredentialRepository;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.login.Factors;
import dev.ostiary.secondfactor.SecondFactorSession;

/**
 * Spring's credential records in {@code user_credentials} (V19). Reading is Spring's
 * {@link JdbcUserCredentialRepository}; writing is ours, because Spring's {@code save} is an UPDATE
 * of every column and then an INSERT: a registration racing another one of the same credential id
 * would overwrite the first owner's public key. Here a new credential is INSERTed only, and a sign-in
 * updates only the counter and last use, atomically:
 *
 * <ul>
 * <li>the signature counter (WebAuthn §6.1.1) must grow, unless the authenticator keeps none (0 both
 * times, as synced passkeys do): one conditional UPDATE, so two sign-ins with one assertion cannot
 * both pass, and a cloned authenticator behind the stored count is refused;</li>
 * <li>{@code last_used} starts at the registration (Spring's reader requires it); the page shows
 * "never" until a sign-in moves it;</li>
 * <li>a new credential clears the user's "register a passkey" request in the same transaction.</li>
 * </ul>
 */
final class PasskeyCredentials implements UserCredentialRepository {

    private final JdbcUserCredentialRepository reads;
    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    PasskeyCredentials(JdbcOperations operations, JdbcClient jdbc, ApplicationEventPublisher events, Clock clock) {
        this.reads = new JdbcUserCredentialRepository(operations);
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public void delete(Bytes credentialId) {
        jdbc.sql("delete from user_credentials where credential_id = ?").param(credentialId.toBase64UrlString())
                .update();
    }

    @Override
    public void save(CredentialRecord record) {
        if (record.getLastUsed() != null && exists(record.getCredentialId())) {
            used(record);
        } else {
            register(record);
        }
    }

    /**
     * A passkey registered by the signed-in user proves its factor in this session: the ceremony had the
     * user verified on that authenticator (WebAuthn Level 3 §7.1, user verification required here), and
     * without it Rule R1 would send someone who just added their first passkey straight to the
     * second-factor page to prove it again. Like the first code of an authenticator app's enrolment.
     */
    private static void provenInThisSession(String username, Instant at) {
        if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)
                || attributes.getResponse() == null) {
            return;
        }
        Authentication current = SecurityContextHolder.getContext().getAuthentication();
        if (current != null && username.equals(current.getName())) {
            SecondFactorSession.prove(attributes.getRequest(), attributes.getResponse(), Factors.WEBAUTHN, at);
        }
    }

    @Override
    public CredentialRecord findByCredentialId(Bytes credentialId) {
        return reads.findByCredentialId(credentialId);
    }

    @Override
    public List<CredentialRecord> findByUserId(Bytes userId) {
        return reads.findByUserId(userId);
    }

    private boolean exists(Bytes credentialId) {
        return jdbc.sql("select exists (select 1 from user_credentials where credential_id = ?)")
                .param(credentialId.toBase64UrlString()).query(Boolean.class).single();
    }

    private void used(CredentialRecord record) {
        long count = record.getSignatureCount();
        int updated = jdbc.sql("""
                update user_credentials set signature_count = :count, last_used = :now, backup_state = :backupState
                where credential_id = :id
                  and (coalesce(signature_count, 0) < :count or (:count = 0 and coalesce(signature_count, 0) = 0))""")
                .param("count", count).param("now", Timestamp.from(clock.instant()))
                .param("backupState", record.isBackupState()).param("id", record.getCredentialId().toBase64UrlString())
                .update();
        if (updated != 1) {
            // Spring's provider turns this into a BadCredentialsException: the sign-in fails
            throw new IllegalStateException("Signature counter did not increase");
        }
    }

    private void register(CredentialRecord record) {
        String transports = record.getTransports() == null ? "" : record.getTransports().stream()
                .map(AuthenticatorTransport::getValue).collect(Collectors.joining(","));
        Instant now = clock.instant();
        jdbc.sql("""
                insert into user_credentials (credential_id, user_entity_user_id, public_key, signature_count,
                    uv_initialized, backup_eligible, authenticator_transports, public_key_credential_type,
                    backup_state, attestation_object, attestation_client_data_json, created, last_used, label)
                values (:id, :user, :publicKey, :count, :uv, :backupEligible, :transports, :type, :backupState,
                    :attestation, :clientData, :created, :created, :label)""")
                .param("id", record.getCredentialId().toBase64UrlString())
                .param("user", record.getUserEntityUserId().toBase64UrlString())
                .param("publicKey", record.getPublicKey().getBytes())
                .param("count", record.getSignatureCount())
                .param("uv", record.isUvInitialized())
                .param("backupEligible", record.isBackupEligible())
                .param("transports", transports)
                .param("type", record.getCredentialType() == null ? null : record.getCredentialType().getValue())
                .param("backupState", record.isBackupState())
                .param("attestation", record.getAttestationObject() == null ? null
                        : record.getAttestationObject().getBytes())
                .param("clientData", record.getAttestationClientDataJSON() == null ? null
                        : record.getAttestationClientDataJSON().getBytes())
                .param("created", Timestamp.from(now))
                .param("label", record.getLabel() == null ? "" : record.getLabel().strip())
                .update();
        String username = jdbc.sql("""
                with cleared as (delete from passkey_enrolment_required where user_id = passkey_user_id(:user))
                select username from app_user where id = passkey_user_id(:user)""")
                .param("user", record.getUserEntityUserId().toBase64UrlString()).query(String.class).single();
        events.publishEvent(new AuditEvent(now, AuditEventType.PASSKEY_REGISTERED, null, username, null,
                Map.of("label", record.getLabel().strip())));
        provenInThisSession(username, now);
    }
}
