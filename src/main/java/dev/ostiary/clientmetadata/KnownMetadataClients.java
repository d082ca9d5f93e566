package dev.ostiary.clientmetadata;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Which client id URL an id stands for: authorizations and consents keep only the id, and Spring asks
 * for the client by it (a code's redemption, a refresh, the consents page), also after a restart.
 */
class KnownMetadataClients {

    private final JdbcClient jdbc;

    KnownMetadataClients(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One statement; the id is derived from the URL, so a second writer changes nothing. */
    void remember(String id, String clientId) {
        jdbc.sql("insert into client_metadata_document (id, client_id) values (cast(? as uuid), ?)"
                + " on conflict do nothing").param(id).param(clientId).update();
    }

    String clientIdOf(String id) {
        try {
            UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return jdbc.sql("select client_id from client_metadata_document where id = cast(? as uuid)").param(id)
                .query(String.class).optional().orElse(null);
    }
}
