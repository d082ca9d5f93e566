package dev.ostiary.client;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface ClientRepository extends JpaRepository<Client, UUID> {

    Optional<Client> findByClientId(String clientId);

    java.util.List<Client> findByOwnerUsernameOrderByCreatedAtAsc(String ownerUsername);

    org.springframework.data.domain.Page<Client> findAllByOrderByClientIdAsc(org.springframework.data.domain.Pageable page);

    /** The redirect URIs of enabled clients, and nothing else of them: what CORS needs. */
    @Query(value = "select distinct unnest(redirect_uris) from client where enabled", nativeQuery = true)
    java.util.List<String> enabledRedirectUris();

    /**
     * Serializes the transactions that take the same key until they end, so that a check and the
     * insert it allows are one step in PostgreSQL (a quota or a unique name cannot be overrun by a burst).
     */
    @Query(value = "select 1 from (select pg_advisory_xact_lock(hashtext(:key))) l", nativeQuery = true)
    Integer lockUntilCommit(@org.springframework.data.repository.query.Param("key") String key);

    long countByOwnerUsername(String ownerUsername);

    /**
     * Deletes the client in one statement, its authorizations and consents by the database's cascade and
     * trigger: of concurrent deletes exactly one sees a row (1), the others 0, instead of JPA's load-then-
     * delete failing with a stale row count in all but one.
     */
    @org.springframework.data.jpa.repository.Modifying(clearAutomatically = true)
    @Query(value = "delete from client where client_id = :clientId", nativeQuery = true)
    int deleteByClientIdAtomically(@org.springframework.data.repository.query.Param("clientId") String clientId);

    /** Every client's id and name ({@code [client_id, client_name]}), to compare a new name with (see {@link NameKey}). */
    @Query(value = "select client_id, client_name from client", nativeQuery = true)
    java.util.List<Object[]> idsAndNames();

    /** The longest access token lifetime any client has: how long a retired key must stay published. */
    @Query(value = "select coalesce(max(greatest(access_token_ttl_seconds, implicit_token_ttl_seconds)), 0) from client",
            nativeQuery = true)
    int longestAccessTokenTtlSeconds();
}
