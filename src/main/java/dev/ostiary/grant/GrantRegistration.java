package dev.ostiary.grant;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

import org.springframework.security.oauth2.core.AuthorizationGrantType;

/**
 * Everything Ostiary knows about one grant, declared once in the grant's own package and provided
 * as a bean; {@link Grants} collects them and everything else asks it (node-oidc-provider's
 * {@code registerGrantType}, fosite's {@code Compose} list, in Spring form). Adding a grant is one
 * package with one of these.
 *
 * @param type the grant type, as clients name it ({@code grant_type}, the client's {@code grant_types})
 * @param builtIntoSpring whether Spring Authorization Server implements (and advertises) it; the others
 *        Ostiary adds to the discovery documents itself
 * @param clientRequirements what a client must have to be allowed the grant
 * @param selfService whether the self-service page offers it
 * @param selfServiceCompanions grants the self-service page adds along with this one
 * @param dynamicallyRegistrable whether dynamic registration (RFC 7591) may register it
 * @param responseType its {@code response_type} at the authorization endpoint, or null
 * @param statelessAccessTokens whether its access tokens get no authorization row (their jti says
 *        so and names the grant, {@code StatelessAccessTokens})
 * @param issuanceAudit how its tokens are audited
 * @param tokenRoles where a user token's {@code roles} claim comes from
 * @param endpoints what it adds to Spring Authorization Server's endpoints
 * @param advertisedEndpoints endpoints of its own that discovery lists (RFC 8414 §2 metadata name →
 *        path under the issuer), such as RFC 8628's {@code device_authorization_endpoint}
 */
public record GrantRegistration(AuthorizationGrantType type, boolean builtIntoSpring,
        Set<ClientRequirement> clientRequirements, SelfServiceOffer selfService,
        Set<AuthorizationGrantType> selfServiceCompanions, boolean dynamicallyRegistrable, String responseType,
        boolean statelessAccessTokens, IssuanceAudit issuanceAudit, TokenRoles tokenRoles,
        Consumer<GrantEndpoints> endpoints, Map<String, String> advertisedEndpoints) {

    public GrantRegistration {
        advertisedEndpoints = Map.copyOf(advertisedEndpoints);
        Objects.requireNonNull(type, "type");
        clientRequirements = Set.copyOf(clientRequirements);
        selfServiceCompanions = Set.copyOf(selfServiceCompanions);
        Objects.requireNonNull(selfService, "selfService");
        Objects.requireNonNull(issuanceAudit, "issuanceAudit");
        Objects.requireNonNull(tokenRoles, "tokenRoles");
        Objects.requireNonNull(endpoints, "endpoints");
    }

    /** The grant type's name: {@code password}, {@code client_credentials}… */
    public String name() {
        return type.getValue();
    }

    public boolean requires(ClientRequirement requirement) {
        return clientRequirements.contains(requirement);
    }

    /** A registration of {@code type} with the defaults: no requirement, not offered, audited per token. */
    public static Builder grant(AuthorizationGrantType type) {
        return new Builder(type);
    }

    /** Builds a registration; every setting not called keeps the default of {@link #grant}. */
    public static final class Builder {

        private final AuthorizationGrantType type;
        private boolean builtIntoSpring;
        private final Set<ClientRequirement> clientRequirements = EnumSet.noneOf(ClientRequirement.class);
        private SelfServiceOffer selfService = SelfServiceOffer.NOT_OFFERED;
        private final Set<AuthorizationGrantType> selfServiceCompanions = new LinkedHashSet<>();
        private boolean dynamicallyRegistrable;
        private String responseType;
        private boolean statelessAccessTokens;
        private IssuanceAudit issuanceAudit = IssuanceAudit.EACH_TOKEN;
        private TokenRoles tokenRoles = TokenRoles.ACCOUNT_AS_IT_IS_NOW;
        private Consumer<GrantEndpoints> endpoints = endpoints -> { };
        private final Map<String, String> advertisedEndpoints = new LinkedHashMap<>();

        private Builder(AuthorizationGrantType type) {
            this.type = type;
        }

        public Builder builtIntoSpring() {
            this.builtIntoSpring = true;
            return this;
        }

        public Builder requires(ClientRequirement... requirements) {
            this.clientRequirements.addAll(Set.of(requirements));
            return this;
        }

        public Builder selfService(SelfServiceOffer offer, AuthorizationGrantType... companions) {
            this.selfService = offer;
            this.selfServiceCompanions.addAll(Set.of(companions));
            return this;
        }

        public Builder dynamicallyRegistrable() {
            this.dynamicallyRegistrable = true;
            return this;
        }

        public Builder responseType(String responseType) {
            this.responseType = responseType;
            return this;
        }

        public Builder statelessAccessTokens() {
            this.statelessAccessTokens = true;
            return this;
        }

        public Builder issuanceAudit(IssuanceAudit issuanceAudit) {
            this.issuanceAudit = issuanceAudit;
            return this;
        }

        public Builder tokenRoles(TokenRoles tokenRoles) {
            this.tokenRoles = tokenRoles;
            return this;
        }

        public Builder endpoints(Consumer<GrantEndpoints> endpoints) {
            this.endpoints = endpoints;
            return this;
        }

        /** Discovery lists {@code metadataName} as the issuer followed by {@code path}. */
        public Builder advertisesEndpoint(String metadataName, String path) {
            this.advertisedEndpoints.put(metadataName, path);
            return this;
        }

        public GrantRegistration build() {
            return new GrantRegistration(type, builtIntoSpring, clientRequirements, selfService,
                    selfServiceCompanions, dynamicallyRegistrable, responseType, statelessAccessTokens, issuanceAudit,
                    tokenRoles, endpoints, advertisedEndpoints);
        }
    }
}
