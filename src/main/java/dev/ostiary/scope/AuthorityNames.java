package dev.ostiary.scope;

import java.util.Collection;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.springframework.security.core.GrantedAuthority;

/**
 * Roles and scopes as names and as Spring Security authorities ({@code ROLE_ADMIN},
 * {@code SCOPE_profile}), written once: what a role name may be, and the prefixes added and taken off.
 */
public final class AuthorityNames {

    public static final String ROLE_PREFIX = "ROLE_";
    public static final String SCOPE_PREFIX = "SCOPE_";

    /** Upper case letters, digits and underscore, a letter first, at most 50: a role names a group, not a person. */
    private static final Pattern ROLE_NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,49}");

    private AuthorityNames() {
    }

    public static boolean validRoleName(String role) {
        return role != null && ROLE_NAME.matcher(role).matches();
    }

    /** The role names among the authorities (those with {@code ROLE_}), without the prefix. */
    public static Set<String> roles(Collection<? extends GrantedAuthority> authorities) {
        return authorities.stream()
                .map(GrantedAuthority::getAuthority)
                .filter(a -> a != null && a.startsWith(ROLE_PREFIX))
                .map(a -> a.substring(ROLE_PREFIX.length()))
                .collect(Collectors.toSet());
    }

    /** The scope an authority stands for: {@code SCOPE_x} is {@code x}; anything else stays as it is. */
    public static String scopeOf(String authority) {
        return authority.startsWith(SCOPE_PREFIX) ? authority.substring(SCOPE_PREFIX.length()) : authority;
    }
}
