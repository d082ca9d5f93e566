package dev.ostiary.passkeys;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.web.webauthn.api.CredentialRecord;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialCreationOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRequestOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRpEntity;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.api.AuthenticatorSelectionCriteria;
import org.springframework.security.web.webauthn.api.ResidentKeyRequirement;
import org.springframework.security.web.webauthn.api.UserVerificationRequirement;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialCreationOptionsRequest;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialRequestOptionsRequest;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialUserEntityRepository;
import org.springframework.security.web.webauthn.management.RelyingPartyAuthenticationRequest;
import org.springframework.security.web.webauthn.management.RelyingPartyRegistrationRequest;
import org.springframework.security.web.webauthn.management.UserCredentialRepository;
import org.springframework.security.web.webauthn.management.WebAuthnRelyingPartyOperations;
import org.springframework.security.web.webauthn.management.Webauthn4JRelyingPartyOperations;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import dev.ostiary.crypto.Digests;
import dev.ostiary.web.IssuerProperties;

/**
 * The relying party (WebAuthn §5.1) is the issuer: its host is the RP ID, its origin the only origin
 * a ceremony may come from (§7.1 step 9, §7.2 step 13). With {@code ostiary.issuer} set, both are
 * fixed; without it the issuer is derived from each request, as Spring Authorization Server derives
 * {@code iss}, and so are they. That is safe against phishing because the browser, not the server,
 * writes the origin into {@code clientDataJSON} and scopes credentials to the RP ID: a page at
 * another origin can neither ask for our passkeys nor produce an assertion with our origin.
 *
 * <p>Spring's {@link Webauthn4JRelyingPartyOperations} does the verification. Changed here: user
 * verification is REQUIRED at registration and sign-in (a passkey alone is two factors, sign-in
 * interface R1), and a sign-in challenge is used once across all instances: its digest is inserted
 * into {@code passkey_challenge_used} and a second insert finds it, whatever the session says.
 */
final class IssuerRelyingParty implements WebAuthnRelyingPartyOperations {

    static final String RP_NAME = "Ostiary";
    /** Spring's option timeout: a challenge is no use after it. */
    private static final Duration CHALLENGE_LIFETIME = Duration.ofMinutes(5);

    private final PublicKeyCredentialUserEntityRepository userEntities;
    private final UserCredentialRepository credentials;
    private final IssuerProperties issuer;
    private final JdbcClient jdbc;
    private final Clock clock;
    /** With a fixed issuer, one instance for good; otherwise one per request (no cache an attacker's Host can grow). */
    private final WebAuthnRelyingPartyOperations fixed;

    IssuerRelyingParty(PublicKeyCredentialUserEntityRepository userEntities, UserCredentialRepository credentials,
            IssuerProperties issuer, JdbcClient jdbc, Clock clock) {
        this.userEntities = userEntities;
        this.credentials = credentials;
        this.issuer = issuer;
        this.jdbc = jdbc;
        this.clock = clock;
        this.fixed = issuer.fixed() ? forOrigin(origin(URI.create(issuer.issuer()))) : null;
    }

    /** The origin ceremonies must come from now: the fixed issuer's, or this request's. */
    String currentOrigin() {
        if (issuer.fixed()) {
            return origin(URI.create(issuer.issuer()));
        }
        HttpServletRequest request = ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes())
                .getRequest();
        int port = request.getServerPort();
        boolean defaultPort = ("https".equals(request.getScheme()) && port == 443)
                || ("http".equals(request.getScheme()) && port == 80);
        return request.getScheme() + "://" + request.getServerName() + (defaultPort ? "" : ":" + port);
    }

    private WebAuthnRelyingPartyOperations current() {
        return fixed != null ? fixed : forOrigin(currentOrigin());
    }

    static String origin(URI uri) {
        int port = uri.getPort();
        return uri.getScheme() + "://" + uri.getHost() + (port == -1 ? "" : ":" + port);
    }

    private WebAuthnRelyingPartyOperations forOrigin(String origin) {
        String rpId = URI.create(origin).getHost();
        Webauthn4JRelyingPartyOperations operations = new Webauthn4JRelyingPartyOperations(userEntities, credentials,
                PublicKeyCredentialRpEntity.builder().id(rpId).name(RP_NAME).build(), Set.of(origin));
        operations.setCustomizeCreationOptions(options -> options.authenticatorSelection(
                AuthenticatorSelectionCriteria.builder().userVerification(UserVerificationRequirement.REQUIRED)
                        .residentKey(ResidentKeyRequirement.REQUIRED).build()));
        operations.setCustomizeRequestOptions(options -> options.userVerification(UserVerificationRequirement.REQUIRED));
        return operations;
    }

    @Override
    public PublicKeyCredentialCreationOptions createPublicKeyCredentialCreationOptions(
            PublicKeyCredentialCreationOptionsRequest request) {
        return current().createPublicKeyCredentialCreationOptions(request);
    }

    @Override
    public CredentialRecord registerCredential(RelyingPartyRegistrationRequest request) {
        return current().registerCredential(request);
    }

    @Override
    public PublicKeyCredentialRequestOptions createCredentialRequestOptions(PublicKeyCredentialRequestOptionsRequest request) {
        return current().createCredentialRequestOptions(request);
    }

    @Override
    public PublicKeyCredentialUserEntity authenticate(RelyingPartyAuthenticationRequest request) {
        byte[] challenge = request.getRequestOptions().getChallenge().getBytes();
        Instant now = clock.instant();
        jdbc.sql("delete from passkey_challenge_used where expires_at < ?").param(Timestamp.from(now)).update();
        int first = jdbc.sql("insert into passkey_challenge_used (challenge_digest, expires_at) values (?, ?)"
                + " on conflict do nothing")
                .params(Digests.sha256(challenge),
                        Timestamp.from(now.plus(CHALLENGE_LIFETIME)))
                .update();
        if (first != 1) {
            throw new IllegalStateException("WebAuthn challenge already used");
        }
        return current().authenticate(request);
    }
}
