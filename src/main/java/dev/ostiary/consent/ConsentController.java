package dev.ostiary.consent;

import java.security.Principal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

import dev.ostiary.client.ClientIdentity;
import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.scope.ScopeDefinition;

/**
 * The consent page, and the "My consents" page where a user sees and withdraws what they allowed.
 * The consent page reads the requested scopes from the authorization waiting for the answer, not
 * from its URL, so it shows exactly what the client will get.
 */
@Controller
class ConsentController {

    private static final OAuth2TokenType STATE = new OAuth2TokenType(OAuth2ParameterNames.STATE);

    private final RegisteredClientRepository clients;
    private final OAuth2AuthorizationService authorizations;
    private final PostgresConsentService consents;
    private final ConsentRevocation revocation;
    private final ScopeCatalog scopes;

    ConsentController(RegisteredClientRepository clients, OAuth2AuthorizationService authorizations,
            PostgresConsentService consents, ConsentRevocation revocation, ScopeCatalog scopes) {
        this.clients = clients;
        this.authorizations = authorizations;
        this.consents = consents;
        this.revocation = revocation;
        this.scopes = scopes;
    }

    /** One scope as the pages show it. */
    record ScopeView(String name, String description, boolean mandatory) {
    }

    /** One remembered consent as the "My consents" page shows it. */
    record ConsentView(String clientId, String clientName, List<ScopeView> scopes, java.time.Instant grantedAt) {
    }

    @GetMapping("/oauth2/consent")
    String consent(Principal principal, @RequestParam(OAuth2ParameterNames.CLIENT_ID) String clientId,
            @RequestParam(OAuth2ParameterNames.STATE) String state, Model model) {
        RegisteredClient client = clients.findByClientId(clientId);
        OAuth2Authorization inFlight = authorizations.findByToken(state, STATE);
        if (client == null || inFlight == null || !inFlight.getPrincipalName().equals(principal.getName())
                || !inFlight.getRegisteredClientId().equals(client.getId())) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST);
        }
        OAuth2AuthorizationRequest request = inFlight.getAttribute(OAuth2AuthorizationRequest.class.getName());
        OAuth2AuthorizationConsent previous = consents.findById(client.getId(), principal.getName());
        Set<String> approved = previous == null ? Set.of() : previous.getScopes();

        List<ScopeView> toApprove = new ArrayList<>();
        List<ScopeView> alreadyApproved = new ArrayList<>();
        for (String scope : request.getScopes()) {
            ScopeView view = view(scope);
            if (approved.contains(scope)) {
                alreadyApproved.add(view);
            } else {
                toApprove.add(view);
            }
        }
        toApprove.sort(Comparator.comparing(ScopeView::mandatory).reversed());
        model.addAttribute("clientId", client.getClientId());
        model.addAttribute("clientName", client.getClientName());
        model.addAttribute("client", ClientIdentity.of(client, request.getRedirectUri()));
        model.addAttribute("state", state);
        model.addAttribute("username", principal.getName());
        model.addAttribute("scopesToApprove", toApprove);
        model.addAttribute("previouslyApproved", alreadyApproved);
        return "consent";
    }

    @GetMapping("/account/consents")
    String myConsents(Principal principal, @RequestParam(name = "revoked", required = false) String revoked,
            Model model) {
        List<ConsentView> views = new ArrayList<>();
        for (PostgresConsentService.StoredConsent consent : consents.findByPrincipal(principal.getName())) {
            RegisteredClient client = clients.findById(consent.registeredClientId());
            if (client != null) {
                views.add(new ConsentView(client.getClientId(), client.getClientName(),
                        consent.scopes().stream().map(this::view).toList(), consent.grantedAt()));
            }
        }
        model.addAttribute("username", principal.getName());
        model.addAttribute("consents", views);
        if (revoked != null) {
            RegisteredClient client = clients.findByClientId(revoked);
            model.addAttribute("revoked", client == null ? revoked : client.getClientName());
        }
        return "consents";
    }

    @PostMapping("/account/consents/revoke")
    String revoke(Principal principal, @RequestParam(OAuth2ParameterNames.CLIENT_ID) String clientId) {
        RegisteredClient client = clients.findByClientId(clientId);
        if (client == null || !revocation.revoke(client, principal.getName())) {
            return "redirect:/account/consents";
        }
        return "redirect:/account/consents?revoked=" + java.net.URLEncoder.encode(clientId,
                java.nio.charset.StandardCharsets.UTF_8);
    }

    private ScopeView view(String scope) {
        ScopeDefinition definition = scopes.find(scope).orElse(null);
        boolean mandatory = OidcScopes.OPENID.equals(scope) || (definition != null && definition.mandatory());
        return new ScopeView(scope, definition == null ? scope : definition.description(), mandatory);
    }
}
