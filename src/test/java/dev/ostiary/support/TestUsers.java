package dev.ostiary.support;

import java.util.Set;
import java.util.UUID;

import org.springframework.security.crypto.password.PasswordEncoder;

import dev.ostiary.user.AppUser;
import dev.ostiary.user.UserRepository;

/** Users of their own for tests that change a user's state (lockout), so tests sharing a database do not meet. */
public final class TestUsers {

    private TestUsers() {
    }

    public static String create(UserRepository users, PasswordEncoder encoder, String password, String... roles) {
        String username = "user-" + UUID.randomUUID().toString().substring(0, 8);
        users.save(new AppUser(username, encoder.encode(password), Set.of(roles)));
        return username;
    }
}
