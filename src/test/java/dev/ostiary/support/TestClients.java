package dev.ostiary.support;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Client fixtures of a test's own, inserted the way an operator's SQL would. */
public final class TestClients {

    private TestClients() {
    }

    /** A public client (no secret) with the code flow and refresh tokens, redirect
     * {@code http://127.0.0.1:18999/mobile}, scope read, no consent; returns its id. */
    public static String publicMobileApp(JdbcClient jdbc) {
        String clientId = "public-" + UUID.randomUUID().toString().substring(0, 6);
        jdbc.sql("""
                insert into client (id, client_id, client_name, auth_methods, grant_types, redirect_uris, scopes,
                    require_consent)
                values (gen_random_uuid(), ?, 'Mobile app', '{none}', '{authorization_code,refresh_token}',
                    '{http://127.0.0.1:18999/mobile}', '{read}', false)""").param(clientId).update();
        return clientId;
    }
}
