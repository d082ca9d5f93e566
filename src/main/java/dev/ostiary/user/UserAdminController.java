package dev.ostiary.user;

import java.security.Principal;
import java.util.List;
import java.util.Set;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Users for administrators. */
@RestController
@RequestMapping("/admin/api/users")
@Tag(name = "Users", description = "Resource owners")
class UserAdminController {

    private final UserManagement users;

    UserAdminController(UserManagement users) {
        this.users = users;
    }

    /** A page of users. */
    record UserPage(List<UserManagement.UserView> items, int page, int size, long total) {
    }

    /** New roles. */
    record Roles(Set<String> roles) {
    }

    /** A new password. */
    record Password(String password) {
    }

    /** Whether the account may sign in at all. */
    record Enabled(boolean enabled) {
    }

    /** Whether the user may register clients with password or implicit. */
    record LegacyGrants(boolean allowed) {
    }

    /** An e-mail address (null removes it); unverified unless {@code verified}. */
    record Email(String email, boolean verified) {
    }

    @GetMapping
    @Operation(summary = "List users, a page at a time")
    UserPage list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        var result = users.list(page, size);
        return new UserPage(result.getContent(), result.getNumber(), result.getSize(), result.getTotalElements());
    }

    @PostMapping
    @Operation(summary = "Create a user (optionally with an e-mail address: `email`, `emailVerified`)")
    ResponseEntity<UserManagement.UserView> create(@RequestBody UserManagement.NewUser request, Principal admin) {
        return ResponseEntity.status(HttpStatus.CREATED).body(users.create(request, admin.getName()));
    }

    @GetMapping("/{username}")
    @Operation(summary = "Read a user")
    UserManagement.UserView get(@PathVariable String username) {
        return users.get(username);
    }

    @PutMapping("/{username}/roles")
    @Operation(summary = "Replace a user's roles (revokes their tokens and sessions)")
    UserManagement.UserView roles(@PathVariable String username, @RequestBody Roles roles, Principal admin) {
        return users.setRoles(username, roles.roles(), admin.getName());
    }

    @PutMapping("/{username}/legacy-grants")
    @Operation(summary = "Allow or forbid registering clients with the password and implicit grants")
    UserManagement.UserView legacyGrants(@PathVariable String username, @RequestBody LegacyGrants body, Principal admin) {
        return users.setLegacyGrantsAllowed(username, body.allowed(), admin.getName());
    }

    @PutMapping("/{username}/enabled")
    @Operation(summary = "Disable or re-enable the account (disabling revokes its tokens and sessions)")
    UserManagement.UserView enabled(@PathVariable String username, @RequestBody Enabled body, Principal admin) {
        return users.setEnabled(username, body.enabled(), admin.getName());
    }

    @PutMapping("/{username}/email")
    @Operation(summary = "Set or remove the user's e-mail address (only a verified one receives password reset links)")
    UserManagement.UserView email(@PathVariable String username, @RequestBody Email body, Principal admin) {
        return users.setEmail(username, body.email(), body.verified(), admin.getName());
    }

    @PostMapping("/{username}/lock")
    @Operation(summary = "Lock the account until unlocked (revokes its tokens and sessions)")
    UserManagement.UserView lock(@PathVariable String username, Principal admin) {
        return users.lock(username, true, admin.getName());
    }

    @PostMapping("/{username}/unlock")
    @Operation(summary = "Unlock the account (also lifts a lockout after failed attempts)")
    UserManagement.UserView unlock(@PathVariable String username, Principal admin) {
        return users.lock(username, false, admin.getName());
    }

    @PostMapping("/{username}/password")
    @Operation(summary = "Set a new password")
    ResponseEntity<Void> password(@PathVariable String username, @RequestBody Password body, Principal admin) {
        users.resetPassword(username, body.password(), admin.getName());
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/{username}")
    @Operation(summary = "Delete a user, with their tokens, sessions, consents and self-service clients")
    ResponseEntity<Void> delete(@PathVariable String username, Principal admin) {
        users.delete(username, admin.getName());
        return ResponseEntity.noContent().build();
    }
}
