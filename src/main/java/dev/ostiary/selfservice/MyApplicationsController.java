package dev.ostiary.selfservice;

import java.security.Principal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.server.ResponseStatusException;

import dev.ostiary.client.ClientManagement;
import dev.ostiary.client.ClientRequest;
import dev.ostiary.client.ClientView;
import dev.ostiary.grant.Grants;
import dev.ostiary.grant.SelfServiceGrants;
import dev.ostiary.problem.FieldProblem;
import dev.ostiary.problem.InvalidRequestException;
import dev.ostiary.problem.NotFoundException;
import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.scope.ScopeDefinition;
import dev.ostiary.user.AppUser;
import dev.ostiary.user.UserRepository;

/**
 * "My applications": a signed-in user registers clients for themselves. They choose the grant types
 * (the legacy ones only if an administrator allowed it for them), redirect URIs, scopes within their
 * own roles, and how the client authenticates: a secret Ostiary generates and shows once, or a public
 * key (JWK, JWK set or PEM, or a JWKS URL) whose private half never leaves them.
 */
@Controller
@RequestMapping("/account/applications")
class MyApplicationsController {

    private final ClientManagement clients;
    private final UserRepository users;
    private final ScopeCatalog scopes;
    private final SelfServiceGrants grants;

    MyApplicationsController(ClientManagement clients, UserRepository users, ScopeCatalog scopes, Grants grants) {
        this.clients = clients;
        this.users = users;
        this.scopes = scopes;
        this.grants = grants.selfService();
    }

    @GetMapping
    String list(Principal principal, Model model) {
        model.addAttribute("username", principal.getName());
        model.addAttribute("applications", clients.ownedBy(principal.getName()));
        return "applications";
    }

    @GetMapping("/new")
    String newForm(Principal principal, Model model) {
        return form(principal, model, new ApplicationForm(), null, List.of());
    }

    @PostMapping
    String create(Principal principal, @ModelAttribute("form") ApplicationForm form, Model model) {
        AppUser user = user(principal);
        try {
            ClientManagement.WithSecret created = clients.create(request(form, user, null), user.getUsername(),
                    user.getUsername());
            model.addAttribute("created", created.client());
            model.addAttribute("secret", created.clientSecret());
            model.addAttribute("username", user.getUsername());
            return "application-created";
        } catch (InvalidRequestException e) {
            return form(principal, model, form, null, e.problems());
        }
    }

    @GetMapping("/{clientId}/edit")
    String editForm(Principal principal, @PathVariable String clientId, Model model) {
        ClientView client = owned(principal, clientId);
        ApplicationForm form = new ApplicationForm();
        form.setClientName(client.clientName());
        form.setDescription(client.description());
        form.setGrantTypes(new ArrayList<>(client.grantTypes()));
        form.setRedirectUris(String.join("\n", client.redirectUris()));
        form.setScopes(new ArrayList<>(client.scopes()));
        boolean keyBased = client.authMethods().contains("private_key_jwt");
        form.setAuthentication(keyBased ? "key" : "secret");
        form.setPublicKey(client.jwks() == null ? "" : JSONObjectUtils.toJSONString(client.jwks()));
        form.setJwksUri(client.jwksUri() == null ? "" : client.jwksUri());
        form.setPostLogoutRedirectUris(String.join("\n", client.postLogoutRedirectUris()));
        form.setBackchannelLogoutUri(client.backchannelLogoutUri() == null ? "" : client.backchannelLogoutUri());
        return form(principal, model, form, client, List.of());
    }

    @PostMapping("/{clientId}")
    String update(Principal principal, @PathVariable String clientId, @ModelAttribute("form") ApplicationForm form,
            Model model) {
        ClientView existing = owned(principal, clientId);
        AppUser user = user(principal);
        try {
            clients.update(clientId, request(form, user, existing), user.getUsername());
            return "redirect:/account/applications?updated=" + clientId;
        } catch (InvalidRequestException e) {
            return form(principal, model, form, existing, e.problems());
        }
    }

    @PostMapping("/{clientId}/secret")
    String rotateSecret(Principal principal, @PathVariable String clientId, Model model) {
        owned(principal, clientId);
        ClientManagement.WithSecret rotated = clients.rotateSecret(clientId, principal.getName());
        model.addAttribute("created", rotated.client());
        model.addAttribute("secret", rotated.clientSecret());
        model.addAttribute("rotated", true);
        model.addAttribute("username", principal.getName());
        return "application-created";
    }

    @PostMapping("/{clientId}/delete")
    String delete(Principal principal, @PathVariable String clientId) {
        owned(principal, clientId);
        clients.delete(clientId, principal.getName());
        return "redirect:/account/applications?deleted=" + clientId;
    }

    private String form(Principal principal, Model model, ApplicationForm form, ClientView existing,
            List<FieldProblem> problems) {
        AppUser user = user(principal);
        Set<String> allowedScopes = allowedScopes(user);
        List<ScopeDefinition> offered = scopes.all().values().stream()
                .filter(s -> allowedScopes.contains(s.name()))
                .sorted(java.util.Comparator.comparing(ScopeDefinition::name)).toList();
        Map<String, String> errors = new LinkedHashMap<>();
        for (FieldProblem problem : problems) {
            String field = problem.field().replaceAll("\\[\\d+]$", "");
            errors.merge(formField(field), problem.message(), (a, b) -> a + "; " + b);
        }
        model.addAttribute("form", form);
        model.addAttribute("existing", existing);
        model.addAttribute("grantChoices", grants.offered(user.isLegacyGrantsAllowed()));
        model.addAttribute("scopeChoices", offered);
        model.addAttribute("errors", errors);
        model.addAttribute("username", user.getUsername());
        return "application-form";
    }

    /** Maps the client model's field names onto the form's. */
    private static String formField(String field) {
        return switch (field) {
            case "jwks", "authMethods" -> "publicKey";
            default -> field;
        };
    }

    private ClientRequest request(ApplicationForm form, AppUser user, ClientView existing) {
        List<FieldProblem> problems = new ArrayList<>();
        for (String grant : grants.notAllowed(form.getGrantTypes(), user.isLegacyGrantsAllowed())) {
            problems.add(new FieldProblem("grantTypes", grant + " needs an administrator's permission"));
        }
        Set<String> allowedScopes = allowedScopes(user);
        for (String scope : form.getScopes()) {
            if (!allowedScopes.contains(scope)) {
                problems.add(new FieldProblem("scopes", "your roles do not allow scope " + scope));
            }
        }
        Set<String> grantTypes = grants.withCompanions(form.getGrantTypes());
        boolean keyBased = "key".equals(form.getAuthentication());
        Map<String, Object> jwks = null;
        String jwksUri = null;
        if (keyBased) {
            if (!form.getJwksUri().isBlank()) {
                jwksUri = form.getJwksUri().trim();
            } else if (!form.getPublicKey().isBlank()) {
                try {
                    jwks = publicJwkSet(form.getPublicKey());
                } catch (IllegalArgumentException e) {
                    problems.add(new FieldProblem("publicKey", e.getMessage()));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        List<String> redirects = Arrays.stream(form.getRedirectUris().split("\\R")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        Set<String> roles = user.getRoles();
        return ClientRequest.builder()
                .clientName(form.getClientName().trim())
                .description(form.getDescription().isBlank() ? null : form.getDescription().trim())
                .grantTypes(grantTypes)
                .authMethods(keyBased ? Set.of("private_key_jwt") : Set.of("client_secret_basic", "client_secret_post"))
                .redirectUris(redirects)
                .postLogoutRedirectUris(Arrays.stream(form.getPostLogoutRedirectUris().split("\\R")).map(String::trim)
                        .filter(s -> !s.isEmpty()).toList())
                .scopes(new LinkedHashSet<>(form.getScopes()))
                // a service client acts with its owner's roles at most: these, intersected with the owner's
                // roles as they are at each token request (ServiceRoles), nothing once the owner is gone
                .serviceRoles(grantTypes.contains("client_credentials") ? roles : Set.of())
                .accessTokenTtlSeconds(existing == null ? null : existing.accessTokenTtlSeconds())
                .refreshTokenTtlSeconds(existing == null ? null : existing.refreshTokenTtlSeconds())
                .requireConsent(true).requirePkce(true).introspectionAllowed(false).requireDpop(false)
                .jwks(jwks)
                .jwksUri(jwksUri)
                .backchannelLogoutUri(form.getBackchannelLogoutUri().isBlank() ? null : form.getBackchannelLogoutUri().trim())
                .build();
    }

    /**
     * A public key as a JWK set: from a JWK, a JWK set, or a PEM public key; refused if it holds a
     * private key (we never want to see one).
     */
    static Map<String, Object> publicJwkSet(String pasted) {
        String text = pasted.trim();
        try {
            List<JWK> keys;
            if (text.startsWith("-----BEGIN")) {
                if (text.contains("PRIVATE KEY")) {
                    throw new IllegalArgumentException("that is a private key: paste the public key only");
                }
                keys = List.of(PemPublicKeys.parse(text));
            } else if (text.contains("\"keys\"")) {
                keys = JWKSet.parse(text).getKeys();
            } else {
                keys = List.of(JWK.parse(text));
            }
            List<JWK> published = new ArrayList<>();
            for (JWK key : keys) {
                if (key.isPrivate()) {
                    throw new IllegalArgumentException("that is a private key: paste the public key only");
                }
                published.add(key.getKeyID() != null ? key : withThumbprintKid(key));
            }
            if (published.isEmpty()) {
                throw new IllegalArgumentException("no public key found");
            }
            return new JWKSet(published).toJSONObject(true);
        } catch (java.text.ParseException | com.nimbusds.jose.JOSEException e) {
            throw new IllegalArgumentException("not a JWK, JWK set or PEM public key");
        }
    }

    private static JWK withThumbprintKid(JWK key) throws com.nimbusds.jose.JOSEException, java.text.ParseException {
        Map<String, Object> json = key.toJSONObject();
        json.put("kid", key.computeThumbprint().toString());
        return JWK.parse(json);
    }

    private Set<String> allowedScopes(AppUser user) {
        return scopes.all().values().stream().filter(s -> s.allowedFor(user.getRoles()))
                .map(ScopeDefinition::name).collect(java.util.stream.Collectors.toSet());
    }

    private AppUser user(Principal principal) {
        return users.findByUsername(principal.getName()).orElseThrow(
                () -> new ResponseStatusException(HttpStatus.FORBIDDEN));
    }

    private ClientView owned(Principal principal, String clientId) {
        try {
            ClientView client = clients.get(clientId);
            if (principal.getName().equals(client.owner())) {
                return client;
            }
        } catch (NotFoundException e) {
            // same answer as someone else's client
        }
        throw new ResponseStatusException(HttpStatus.NOT_FOUND);
    }

}
