package dev.ostiary.client;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface ClientRepository extends JpaRepository<Client, UUID> {

    Optional<Client> findByClientId(String clientId);

    /** The longest access token lifetime any client has: how long a retired key must stay published. */
    @Query(value = "select coalesce(max(greatest(access_token_ttl_seconds, implicit_token_ttl_seconds)), 0) from client",
            nativeQuery = true)
    int longestAccessTokenTtlSeconds();
}
