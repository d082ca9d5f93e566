package dev.ostiary.client;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface ClientRepository extends JpaRepository<Client, UUID> {

    Optional<Client> findByClientId(String clientId);

    java.util.List<Client> findByOwnerUsernameOrderByCreatedAtAsc(String ownerUsername);

    org.springframework.data.domain.Page<Client> findAllByOrderByClientIdAsc(org.springframework.data.domain.Pageable page);

    /** The longest access token lifetime any client has: how long a retired key must stay published. */
    @Query(value = "select coalesce(max(greatest(access_token_ttl_seconds, implicit_token_ttl_seconds)), 0) from client",
            nativeQuery = true)
    int longestAccessTokenTtlSeconds();
}
