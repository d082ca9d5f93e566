package dev.ostiary.secondfactor;

import java.time.Instant;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;

/**
 * Adds a proven factor to a sign-in the way Spring Security 7's multi-factor support does for its own
 * filters ({@code setMfaEnabled}): the same Authentication, rebuilt with one more
 * {@link FactorGrantedAuthority} (with its time, for {@code auth_time} and {@code max_age}); never a
 * new, unrelated one.
 */
public final class SecondFactorSession {

    private static final SecurityContextRepository CONTEXTS = new DelegatingSecurityContextRepository(
            new RequestAttributeSecurityContextRepository(), new HttpSessionSecurityContextRepository());

    private SecondFactorSession() {
    }

    public static Authentication withFactor(Authentication authentication, String factor, Instant provenAt) {
        FactorGrantedAuthority proven = FactorGrantedAuthority.withAuthority(factor).issuedAt(provenAt).build();
        return authentication.toBuilder()
                .authorities(authorities -> {
                    authorities.removeIf(a -> factor.equals(a.getAuthority()));
                    authorities.add(proven);
                })
                .build();
    }

    /**
     * Merges the factor into the session's sign-in, gives the session a new id (a factor proven raises
     * what the session may do: session fixation, OWASP) and saves the context (Spring Session JDBC).
     */
    public static void prove(HttpServletRequest request, HttpServletResponse response, String factor, Instant provenAt) {
        SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();
        Authentication current = holder.getContext().getAuthentication();
        SecurityContext context = holder.createEmptyContext();
        context.setAuthentication(withFactor(current, factor, provenAt));
        if (request.getSession(false) != null) {
            request.changeSessionId();
        }
        holder.setContext(context);
        CONTEXTS.saveContext(context, request, response);
    }
}
