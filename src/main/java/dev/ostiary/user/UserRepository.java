package dev.ostiary.user;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

public interface UserRepository extends JpaRepository<AppUser, UUID> {

    Optional<AppUser> findByUsername(String username);

    org.springframework.data.domain.Page<AppUser> findAllByOrderByUsernameAsc(org.springframework.data.domain.Pageable page);
}
