package dev.ostiary.user;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

public interface UserRepository extends JpaRepository<AppUser, UUID> {

    Optional<AppUser> findByUsername(String username);

    /**
     * Deletes the account in one statement (its roles, factors and links go by their foreign keys), so
     * that of concurrent deletes exactly one deletes it and the others see 0 rows; JPA's remove of a
     * loaded entity failed each of them with a StaleStateException instead.
     *
     * @return 1 when this call deleted it, 0 when it was gone already
     */
    @org.springframework.data.jpa.repository.Modifying(clearAutomatically = true)
    @org.springframework.data.jpa.repository.Query(value = "delete from app_user where id = :id", nativeQuery = true)
    int deleteByIdAtomically(@org.springframework.data.repository.query.Param("id") UUID id);

    Optional<AppUser> findByEmail(String email);

    /** A disabled, unverified account unless the name or the address is taken (V21's unique indexes decide). */
    @org.springframework.data.jpa.repository.Modifying
    @org.springframework.data.jpa.repository.Query(nativeQuery = true, value = """
            insert into app_user (id, username, password_hash, enabled, email, email_verified)
            values (:id, :username, :passwordHash, false, :email, false) on conflict do nothing""")
    int insertIfAbsent(UUID id, String username, String passwordHash, String email);

    @org.springframework.data.jpa.repository.Modifying
    @org.springframework.data.jpa.repository.Query(nativeQuery = true,
            value = "insert into user_role (user_id, role) values (:userId, :role) on conflict do nothing")
    int addRole(UUID userId, String role);

    org.springframework.data.domain.Page<AppUser> findAllByOrderByUsernameAsc(org.springframework.data.domain.Pageable page);
}
