package dev.ostiary.demo;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Profile;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

import dev.ostiary.client.ClientSecretHasher;
import dev.ostiary.crypto.MasterKey;
import dev.ostiary.web.IssuerProperties;

/**
 * Demo scopes, clients and users for the {@code demo} profile, written by Flyway right after it migrates,
 * so they are in place before the server takes its first request. Secrets are hashed with this
 * server's pepper, which SQL migrations cannot know; that is why this is Java. Idempotent: rows that
 * exist are kept, except the demo secrets, re-hashed so that the documented ones always work, and
 * the demo clients' scopes, to which new demo scopes are added. Refuses to load for an issuer that
 * is not loopback ({@link #refuseUnlessLoopback}).
 */
@Component
@Profile("demo")
@EnableConfigurationProperties(DemoProperties.class)
class DemoData implements Callback {

    /** The sample resource server's identifier (RFC 8707): its URL when run as the README says. */
    static final String SAMPLE_API = "http://localhost:8081";

    private final ClientSecretHasher secrets;
    private final PasswordEncoder passwords;
    private final String issuer;
    private final boolean allowNonLoopbackIssuer;
    private final MasterKey masterKey;
    private final boolean adminScopeRequiresSecondFactor;

    DemoData(ClientSecretHasher secrets, PasswordEncoder userPasswordEncoder, IssuerProperties issuer,
            DemoProperties properties, MasterKey masterKey) {
        this.masterKey = masterKey;
        this.secrets = secrets;
        this.passwords = userPasswordEncoder;
        this.issuer = issuer.issuer();
        this.allowNonLoopbackIssuer = properties.allowNonLoopbackIssuer();
        this.adminScopeRequiresSecondFactor = properties.adminScopeRequiresSecondFactor();
    }

    /**
     * The demo data is an admin with a published password and clients with published secrets: on a
     * server that anyone but its developer can reach, it is a backdoor (review L10). So it loads only
     * for an issuer on a loopback address (or none, derived from each request, as in tests), unless
     * {@code ostiary.demo.allow-non-loopback-issuer=true} says the risk is understood.
     */
    static void refuseUnlessLoopback(String issuer, boolean allowNonLoopbackIssuer) {
        if (issuer == null || issuer.isBlank() || allowNonLoopbackIssuer || isLoopback(issuer)) {
            return;
        }
        throw new IllegalStateException("The demo profile (published passwords and client secrets) refuses to load"
                + " for the issuer " + issuer + ", which is not a loopback URL. Remove the demo profile, or set"
                + " ostiary.demo.allow-non-loopback-issuer=true for a throw-away server nobody else can reach.");
    }

    private static boolean isLoopback(String issuer) {
        String host;
        try {
            host = URI.create(issuer).getHost();
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (host == null) {
            return false;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.equalsIgnoreCase("localhost")) {
            return true;
        }
        // a literal address only: a name that resolves to loopback here may resolve elsewhere for others
        if (!bare.matches("[0-9.]+") && !bare.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(bare).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.AFTER_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public String getCallbackName() {
        return "ostiary-demo-data";
    }

    @Override
    public void handle(Event event, Context context) {
        refuseUnlessLoopback(issuer, allowNonLoopbackIssuer);
        try {
            Connection connection = context.getConnection();
            scope(connection, "openid", "Sign you in with your Ostiary account", null, null, true);
            scope(connection, "profile", "See your user name", null, null, false);
            scope(connection, "read", "Read patient and doctor records", null, "demo-api", false);
            scope(connection, "write", "Create and change patient records", null, "demo-api", false);
            // the sample API's own admin scope; administering Ostiary is ostiary:admin (V8), another audience
            scope(connection, "admin", "Delete patient records", "ADMIN", "demo-api", false);

            client(connection, "svc-client", "Demo service", "svc-secret",
                    "{client_secret_basic,client_secret_post}", "{client_credentials}", "{}", "{read,write}",
                    "{USER}", false, false);
            client(connection, "trusted-app", "Trusted first-party app", "trusted-secret",
                    "{client_secret_basic,client_secret_post}", "{password,refresh_token}", "{}",
                    "{read,write,admin,ostiary:admin}", "{}", false, false);
            client(connection, "web-app", "Demo web app", "web-secret",
                    "{client_secret_basic,client_secret_post}", "{authorization_code,refresh_token}",
                    "{http://127.0.0.1:18999/callback}", "{openid,profile,read,write,admin}", "{}", true, false);
            client(connection, "spa", "Demo single-page app", null, "{none}", "{implicit}",
                    "{http://127.0.0.1:18999/spa-callback}", "{read,write}", "{}", true, false);
            client(connection, "demo-api", "Demo API (sample resource server)", "api-secret",
                    "{client_secret_basic,client_secret_post}", "{client_credentials}", "{}", "{}", "{}", false, true);
            logout(connection, "web-app", "{http://127.0.0.1:18999/logged-out}",
                    "http://127.0.0.1:8081/backchannel-logout");
            // the device flow (RFC 8628): a public client, as a TV or a command line is
            client(connection, "demo-tv", "Demo TV", null, "{none}", "{urn:ietf:params:oauth:grant-type:device_code}",
                    "{}", "{read,write}", "{}", true, false);
            // token exchange (RFC 8693): trades the users' tokens of web-app and trusted-app for the sample
            // API's audience, as itself (impersonation) or naming itself with its own token (delegation)
            client(connection, "demo-gateway", "Demo API gateway", "gateway-secret",
                    "{client_secret_basic,client_secret_post}",
                    "{client_credentials,urn:ietf:params:oauth:grant-type:token-exchange}", "{}", "{read,write}", "{}",
                    false, false);
            tokenExchange(connection, "demo-gateway", "{demo-gateway,trusted-app,web-app}", "{demo-api}", true);

            client(connection, "demo-fapi", "Demo FAPI 2.0 app", null, "{private_key_jwt}",
                    "{authorization_code,refresh_token}", "{http://127.0.0.1:18999/fapi-callback}", "{read}", "{}",
                    true, false);
            fapi2(connection, "demo-fapi", DEMO_FAPI_JWKS);
            // RFC 8707: the sample API is a resource of its own; the admin API's is in V10
            resource(connection, SAMPLE_API, "Sample API (patients and doctors)", "{read,write,admin}");
            allowResources(connection, "svc-client", "{" + SAMPLE_API + "}");
            allowResources(connection, "trusted-app", "{" + SAMPLE_API + ",urn:ostiary:admin-api}");
            allowResources(connection, "web-app", "{" + SAMPLE_API + "}");

            user(connection, "alice", "alice-pw", "USER");
            user(connection, "bob", "bob-pw", "USER", "ADMIN");
            // recovery: verified addresses, so "Forgot password?" sends them a link (shown at /dev/mail)
            email(connection, "alice", "alice@example.test");
            email(connection, "bob", "bob@example.test");
            // passkeys: carol is asked to register a passkey at her first password sign-in (V19)
            user(connection, "carol", "carol-pw", "USER");
            passkeyEnrolmentRequired(connection, "carol");
            totp(connection, "bob", BOB_TOTP_SECRET);
            // step-up (V22): deleting patients needs a second factor; set again on every start
            if (adminScopeRequiresSecondFactor) {
                requireSecondFactor(connection, "admin");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not write the demo data", e);
        }
    }

    /** Until the user has a passkey: the request is cleared when they register one, and not renewed after. */
    private static void passkeyEnrolmentRequired(Connection connection, String username) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into passkey_enrolment_required (user_id)
                select u.id from app_user u where u.username = ?
                  and not exists (select 1 from user_credentials c where c.user_id = u.id)
                on conflict do nothing""")) {
            insert.setString(1, username);
            insert.executeUpdate();
        }
    }

    /** docs/fapi.md publishes this key's private half, for trying the FAPI client: a demo key, never a real one. */
    static final String DEMO_FAPI_JWKS = "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"demo-fapi-1\","
            + "\"use\":\"sig\",\"alg\":\"ES256\",\"x\":\"d0d9sFFw8T0tW7ftE03npRr2hxzwLvdje5jai8PXIlk\","
            + "\"y\":\"eEsTvLXdnvJoWjFanLmOzBEjuqitGIr8KILUsAkBidE\"}]}";

    /** The FAPI 2.0 settings (docs/fapi.md), set again on every start: idempotent. */
    private static void fapi2(Connection connection, String clientId, String jwks) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                update client set fapi2 = true, require_pushed_authorization_requests = true, require_dpop = true,
                    require_pkce = true, auth_code_ttl_seconds = least(auth_code_ttl_seconds, 60),
                    jwks = cast(? as jsonb) where client_id = ?""")) {
            update.setString(1, jwks);
            update.setString(2, clientId);
            update.executeUpdate();
        }
    }

    /**
     * bob's authenticator app (README "Demo users"): the published secret, base32 (RFC 4648), 160 bits.
     * Anyone can compute bob's codes from it ({@code oathtool --totp -b}): a demo secret, never a real one.
     */
    static final String BOB_TOTP_SECRET = "OSTIARYDEMOBOBTOTPSECRETDONTUSE2";

    /**
     * An enrolled authenticator app with a published secret, sealed again on every start like the demo
     * secrets are hashed again (the master key of a development server may be new each time); the
     * last accepted step is kept, so a code still works once.
     */
    private void totp(Connection connection, String username, String base32Secret) throws SQLException {
        UUID id;
        try (PreparedStatement select = connection.prepareStatement("select id from app_user where username = ?")) {
            select.setString(1, username);
            var row = select.executeQuery();
            if (!row.next()) {
                return;
            }
            id = row.getObject(1, UUID.class);
        }
        byte[] secret = base32(base32Secret);
        try (PreparedStatement upsert = connection.prepareStatement("""
                insert into totp_credential (user_id, secret_sealed, master_key_id, confirmed_at)
                values (?, ?, ?, now())
                on conflict (user_id) do update set secret_sealed = excluded.secret_sealed,
                    master_key_id = excluded.master_key_id,
                    confirmed_at = coalesce(totp_credential.confirmed_at, now())""")) {
            upsert.setObject(1, id);
            upsert.setBytes(2, masterKey.encrypt(secret, id.toString()));
            upsert.setString(3, masterKey.id());
            upsert.executeUpdate();
        }
    }

    /** RFC 4648 base32 without padding (the demo secret only). */
    static byte[] base32(String text) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : text.toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }

    private void user(Connection connection, String username, String password, String... roles) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("select 1 from app_user where username = ?")) {
            exists.setString(1, username);
            if (exists.executeQuery().next()) {
                return;
            }
        }
        UUID id = UUID.randomUUID();
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into app_user (id, username, password_hash) values (?, ?, ?)")) {
            insert.setObject(1, id);
            insert.setString(2, username);
            insert.setString(3, passwords.encode(password));
            insert.executeUpdate();
        }
        for (String role : roles) {
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into user_role (user_id, role) values (?, ?)")) {
                insert.setObject(1, id);
                insert.setString(2, role);
                insert.executeUpdate();
            }
        }
    }

    /** A verified address for a demo user that has none (an address set since is kept). */
    private static void email(Connection connection, String username, String email) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                update app_user set email = ?, email_verified = true where username = ? and email is null
                  and not exists (select 1 from app_user other where other.email = ?)""")) {
            update.setString(1, email);
            update.setString(2, username);
            update.setString(3, email);
            update.executeUpdate();
        }
    }

    private static void resource(Connection connection, String uri, String name, String scopes) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into resource (uri, name, scopes) values (?, ?, cast(? as text[]))
                on conflict (uri) do nothing""")) {
            insert.setString(1, uri);
            insert.setString(2, name);
            insert.setString(3, scopes);
            insert.executeUpdate();
        }
    }

    /** Adds resources to a demo client's, keeping any an administrator gave it. */
    private static void allowResources(Connection connection, String clientId, String resources) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                update client set resources = array(select distinct r from unnest(resources || cast(? as text[])) r
                    order by r) where client_id = ?""")) {
            update.setString(1, resources);
            update.setString(2, clientId);
            update.executeUpdate();
        }
    }

    private static void scope(Connection connection, String name, String description, String requiredRole,
            String audience, boolean mandatory) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into scope (name, description, required_role, audience, mandatory)
                values (?, ?, ?, ?, ?) on conflict (name) do nothing""")) {
            insert.setString(1, name);
            insert.setString(2, description);
            insert.setString(3, requiredRole);
            insert.setString(4, audience);
            insert.setBoolean(5, mandatory);
            insert.executeUpdate();
        }
    }

    private void client(Connection connection, String clientId, String name, String secret, String authMethods,
            String grantTypes, String redirectUris, String scopes, String serviceRoles, boolean requireConsent,
            boolean introspectionAllowed) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into client (id, client_id, client_name, secret_hash, auth_methods, grant_types, redirect_uris,
                    scopes, service_roles, require_consent, introspection_allowed)
                values (?, ?, ?, ?, cast(? as text[]), cast(? as text[]), cast(? as text[]), cast(? as text[]),
                    cast(? as text[]), ?, ?)
                on conflict (client_id) do update set secret_hash = excluded.secret_hash,
                    scopes = array(select distinct s from unnest(client.scopes || excluded.scopes) s order by s)""")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, clientId);
            insert.setString(3, name);
            insert.setString(4, secret == null ? null : secrets.hash(secret));
            insert.setString(5, authMethods);
            insert.setString(6, grantTypes);
            insert.setString(7, redirectUris);
            insert.setString(8, scopes);
            insert.setString(9, serviceRoles);
            insert.setBoolean(10, requireConsent);
            insert.setBoolean(11, introspectionAllowed);
            insert.executeUpdate();
        }
    }

    /**
     * OpenID Connect logout for a demo client (docs/logout.md): where the browser may go after signing
     * out, and where the client hears of it (the sample resource server's receiver). Only set while
     * unset, so an administrator's change survives a restart.
     */
    private static void logout(Connection connection, String clientId, String postLogoutRedirectUris,
            String backchannelLogoutUri) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                update client set post_logout_redirect_uris = cast(? as text[]), backchannel_logout_uri = ?
                 where client_id = ? and post_logout_redirect_uris = '{}' and backchannel_logout_uri is null""")) {
            update.setString(1, postLogoutRedirectUris);
            update.setString(2, backchannelLogoutUri);
            update.setString(3, clientId);
            update.executeUpdate();
        }
    }

    /** The client's token exchange policy, as V12 stores it (written again on each start, like the secrets). */
    private static void tokenExchange(Connection connection, String clientId, String subjectClients, String audiences,
            boolean impersonation) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                update client set token_exchange_subject_clients = cast(? as text[]),
                    token_exchange_audiences = cast(? as text[]), token_exchange_impersonation = ?
                where client_id = ?""")) {
            update.setString(1, subjectClients);
            update.setString(2, audiences);
            update.setBoolean(3, impersonation);
            update.setString(4, clientId);
            update.executeUpdate();
        }
    }

    /** Marks a demo scope as granted only to sign-ins with a second factor (stepup/SecondFactorPolicy). */
    private static void requireSecondFactor(Connection connection, String scope) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "update scope set requires_second_factor = true where name = ?")) {
            update.setString(1, scope);
            update.executeUpdate();
        }
    }
}
