package dev.ostiary.stepup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.scope.ScopeDefinition;
import dev.ostiary.support.TestClocks;

/** Sign-ins built as Spring Security 7 records them: one FactorGrantedAuthority per factor, with its time. */
final class StepUpFixtures {

    static final Instant NOW = TestClocks.NOW;

    private StepUpFixtures() {
    }

    /** A signed-in user "bob" with ROLE_USER and the given factors, each proven at the instant that follows it. */
    static UsernamePasswordAuthenticationToken signIn(Object... factorsAndTimes) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        authorities.add(new SimpleGrantedAuthority("ROLE_USER"));
        for (int i = 0; i < factorsAndTimes.length; i += 2) {
            authorities.add(FactorGrantedAuthority.withAuthority((String) factorsAndTimes[i])
                    .issuedAt((Instant) factorsAndTimes[i + 1]).build());
        }
        return UsernamePasswordAuthenticationToken.authenticated("bob", null, authorities);
    }

    /** read (anyone), admin (second factor required). */
    static ScopeCatalog scopes() {
        Map<String, ScopeDefinition> all = Map.of(
                "read", new ScopeDefinition("read", "Read", null, "demo-api", false),
                "admin", new ScopeDefinition("admin", "Delete", "ADMIN", "demo-api", false, true));
        return new ScopeCatalog(null) {
            @Override
            public Map<String, ScopeDefinition> all() {
                return all;
            }
        };
    }
}
