package dev.ostiary.grant.devicecode;

import java.security.Principal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

import dev.ostiary.client.ClientIdentity;
import dev.ostiary.grant.resourceowner.ResourceOwnerScopes;
import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.scope.ScopeDefinition;

/**
 * The pages of the device flow (RFC 8628 §3.3), in the look of login and consent: the code entry
 * (the verification URI; {@code verification_uri_complete} fills the code in, and the user still
 * presses Continue), the consent page Spring's verification endpoint sends a signed-in user to, and
 * the outcome. The code entry submits to Spring's verification endpoint, which asks for sign-in first.
 */
@Controller
class ActivationController {

    private static final OAuth2TokenType STATE = new OAuth2TokenType(OAuth2ParameterNames.STATE);
    private static final OAuth2TokenType USER_CODE = new OAuth2TokenType(OAuth2ParameterNames.USER_CODE);
    /** The {@code error} values the verification endpoint's answers send here, and their texts' keys. */
    private static final Map<String, String> ERRORS = Map.of(
            "invalid", "activate.error.invalid",
            "malformed", "activate.error.malformed",
            "locked", "activate.error.locked");

    private final RegisteredClientRepository clients;
    private final OAuth2AuthorizationService authorizations;
    private final ScopeCatalog scopes;
    private final String verificationEndpoint;
    private final MessageSource messages;

    ActivationController(RegisteredClientRepository clients, OAuth2AuthorizationService authorizations,
            ScopeCatalog scopes, AuthorizationServerSettings settings, MessageSource messages) {
        this.messages = messages;
        this.clients = clients;
        this.authorizations = authorizations;
        this.scopes = scopes;
        this.verificationEndpoint = settings.getDeviceVerificationEndpoint();
    }

    /** One scope as the consent page shows it. */
    record ScopeView(String name, String description, boolean mandatory) {
    }

    @GetMapping(DeviceCodeGrant.ACTIVATION_PAGE)
    String enterCode(@RequestParam(name = OAuth2ParameterNames.USER_CODE, required = false) String userCode,
            @RequestParam(name = "error", required = false) String error, Principal principal, Locale locale,
            Model model) {
        model.addAttribute("userCode", userCode == null ? "" : UserCodes.normalize(userCode).orElse(""));
        model.addAttribute("error", error == null ? null
                : messages.getMessage(ERRORS.getOrDefault(error, ERRORS.get("invalid")), null, locale));
        model.addAttribute("username", principal == null ? null : principal.getName());
        model.addAttribute("verificationEndpoint", verificationEndpoint);
        return "activate";
    }

    /**
     * The consent page. What it shows is read from the authorization waiting for this user's answer
     * (found by its {@code state}), not from the URL; the scopes are those the user's roles allow.
     */
    @GetMapping(DeviceCodeGrant.CONSENT_PAGE)
    String consent(Authentication user, @RequestParam(OAuth2ParameterNames.CLIENT_ID) String clientId,
            @RequestParam(OAuth2ParameterNames.STATE) String state,
            @RequestParam(OAuth2ParameterNames.USER_CODE) String typedUserCode, Model model) {
        RegisteredClient client = clients.findByClientId(clientId);
        OAuth2Authorization waiting = authorizations.findByToken(state, STATE);
        // the store keeps only the code's digest: the page shows the code Spring's redirect carries,
        // once it is proven to be this authorization's (found by it, the same row as the state's)
        String userCode = UserCodes.normalize(typedUserCode).orElse(null);
        OAuth2Authorization byUserCode = userCode == null ? null : authorizations.findByToken(userCode, USER_CODE);
        if (client == null || waiting == null || byUserCode == null || !byUserCode.getId().equals(waiting.getId())
                || !user.getName().equals(waiting.getPrincipalName())
                || !waiting.getRegisteredClientId().equals(client.getId())) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST);
        }
        Set<String> requested = waiting.getAttribute(OAuth2ParameterNames.SCOPE);
        Set<String> allowed = new ResourceOwnerScopes(scopes).allowedFor(requested == null ? Set.of() : requested, user);
        List<ScopeView> views = allowed.stream().sorted().map(this::view).toList();
        model.addAttribute("clientId", client.getClientId());
        model.addAttribute("clientName", client.getClientName());
        model.addAttribute("client", ClientIdentity.of(client, null));
        model.addAttribute("state", state);
        model.addAttribute("userCode", userCode);
        model.addAttribute("username", user.getName());
        model.addAttribute("scopesToApprove", views);
        model.addAttribute("verificationEndpoint", verificationEndpoint);
        return "activate-consent";
    }

    @GetMapping(DeviceCodeGrant.ACTIVATION_PAGE + "/done")
    String approved(@RequestParam(name = OAuth2ParameterNames.CLIENT_ID, required = false) String clientId,
            Locale locale, Model model) {
        RegisteredClient client = clientId == null ? null : clients.findByClientId(clientId);
        model.addAttribute("approved", true);
        model.addAttribute("clientName", client == null
                ? messages.getMessage("activateresult.yourDevice", null, locale) : client.getClientName());
        return "activate-result";
    }

    @GetMapping(DeviceCodeGrant.ACTIVATION_PAGE + "/denied")
    String denied(Model model) {
        model.addAttribute("approved", false);
        return "activate-result";
    }

    private ScopeView view(String scope) {
        ScopeDefinition definition = scopes.find(scope).orElse(null);
        boolean mandatory = OidcScopes.OPENID.equals(scope) || (definition != null && definition.mandatory());
        return new ScopeView(scope, definition == null ? scope : definition.description(), mandatory);
    }
}
