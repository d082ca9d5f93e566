package dev.ostiary.token;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

import dev.ostiary.authorization.StatelessAccessTokens;
import dev.ostiary.client.OstiaryClientSettings;
import dev.ostiary.grant.OstiaryGrantTypes;
import dev.ostiary.keys.KeysProperties;
import dev.ostiary.keys.SigningAlgorithm;
import dev.ostiary.keys.SigningKeySet;
import dev.ostiary.scope.ScopeCatalog;

/**
 * The one place that shapes access tokens, as JWTs per RFC 9068: header {@code typ: at+jwt} and the
 * algorithm the client is configured for; claims {@code client_id}, {@code scope} (space-separated),
 * {@code roles}, {@code aud} from the resource servers the granted scopes belong to, and
 * {@code cnf.jkt} when the request proved possession of a DPoP key.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068#section-2">RFC 9068 §2</a>
 */
public class AccessTokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

    private static final String ROLE_PREFIX = "ROLE_";

    private final ScopeCatalog scopes;
    private final SigningKeySet keys;
    private final KeysProperties keysProperties;

    public AccessTokenClaims(ScopeCatalog scopes, SigningKeySet keys, KeysProperties keysProperties) {
        this.scopes = scopes;
        this.keys = keys;
        this.keysProperties = keysProperties;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
            return;
        }
        RegisteredClient client = context.getRegisteredClient();
        context.getJwsHeader().type("at+jwt").algorithm(algorithmFor(client).springAlgorithm());

        Set<String> granted = context.getAuthorizedScopes();
        Set<String> audiences = scopes.audiencesOf(granted);
        context.getClaims().claims(claims -> {
            claims.put("client_id", client.getClientId());
            if (granted.isEmpty()) {
                claims.remove("scope");
            } else {
                claims.put("scope", String.join(" ", granted));
            }
            claims.put("roles", rolesOf(context.getPrincipal(), client));
            if (!audiences.isEmpty()) {
                claims.put("aud", new ArrayList<>(audiences));
            }
        });
        // DPoP-bound (RFC 9449 §6): the thumbprint of the key that signed the token request's proof
        org.springframework.security.oauth2.jwt.Jwt proof = context.get(
                org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext.DPOP_PROOF_KEY);
        if (proof != null) {
            context.getClaims().claim("cnf", java.util.Map.of("jkt", thumbprint(proof)));
        }
        AuthorizationGrantType grant = context.getAuthorizationGrantType();
        if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(grant) || OstiaryGrantTypes.IMPLICIT.equals(grant)) {
            context.getClaims().id(StatelessAccessTokens.newJti());
        }
    }

    @SuppressWarnings("unchecked")
    private static String thumbprint(org.springframework.security.oauth2.jwt.Jwt proof) {
        try {
            java.util.Map<String, Object> jwk = (java.util.Map<String, Object>) proof.getHeaders().get("jwk");
            return com.nimbusds.jose.jwk.JWK.parse(jwk).computeThumbprint().toString();
        } catch (java.text.ParseException | com.nimbusds.jose.JOSEException | ClassCastException e) {
            throw new IllegalStateException("A verified DPoP proof without a usable jwk header", e);
        }
    }

    private SigningAlgorithm algorithmFor(RegisteredClient client) {
        SigningAlgorithm wanted = OstiaryClientSettings.accessTokenSigningAlgorithm(client);
        if (keys.current().activeKey(wanted).isPresent()) {
            return wanted;
        }
        return keysProperties.defaultAlgorithm();
    }

    /** A user's roles, or a service client's own roles when it acts for itself. */
    private static List<String> rolesOf(Authentication principal, RegisteredClient client) {
        if (principal instanceof OAuth2ClientAuthenticationToken) {
            return OstiaryClientSettings.serviceRoles(client).stream().sorted().toList();
        }
        Collection<? extends GrantedAuthority> authorities = principal.getAuthorities();
        Set<String> roles = new LinkedHashSet<>();
        for (GrantedAuthority authority : authorities) {
            String name = authority.getAuthority();
            if (name != null && name.startsWith(ROLE_PREFIX)) {
                roles.add(name.substring(ROLE_PREFIX.length()));
            }
        }
        return roles.stream().sorted().toList();
    }
}
