package dev.ostiary.console;

import java.security.Principal;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

import dev.ostiary.client.ClientDirectory;
import dev.ostiary.client.ClientManagement;
import dev.ostiary.client.ClientRules;
import dev.ostiary.client.ClientView;
import dev.ostiary.client.RegisteredBy;
import dev.ostiary.grant.Grants;
import dev.ostiary.problem.InvalidRequestException;
import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.scope.ScopeDefinition;

/**
 * The console's clients: the list (search, filters, keyset paging: {@link ClientDirectory}), one
 * client's settings and footprint, and the changes the admin API makes, through the same
 * {@link ClientManagement} calls (same rules, same audit events, with the operator's name). Each change
 * is a POST with the session's CSRF token; the ones that cannot be undone (a new secret, disabling,
 * deleting) are first a page that says what will follow, whose button makes the POST, so they work
 * without JavaScript and a stray link cannot trigger them.
 */
@Controller
@RequestMapping(ConsoleClientsController.PATH)
class ConsoleClientsController {

    static final String PATH = "/admin/clients";
    static final int PAGE_SIZE = 50;

    /** The form's own path: "@" is no client id's character (ClientRules), so no client's page is shadowed. */
    static final String NEW = "/@new";

    private final ClientDirectory directory;
    private final ClientManagement clients;
    private final ScopeCatalog scopes;
    private final List<String> grantTypes;

    ConsoleClientsController(ClientDirectory directory, ClientManagement clients, ScopeCatalog scopes, Grants grants) {
        this.directory = directory;
        this.clients = clients;
        this.scopes = scopes;
        this.grantTypes = grants.names().stream().sorted().toList();
    }

    @GetMapping
    String list(@RequestParam(defaultValue = "") String q, @RequestParam(defaultValue = "") String grant,
            @RequestParam(defaultValue = "") String by, @RequestParam(defaultValue = "") String owner,
            @RequestParam(defaultValue = "0") int unused, @RequestParam(required = false) String after,
            @RequestParam(required = false) String before, Model model) {
        RegisteredBy registeredBy = by.isBlank() ? null : registeredBy(by);
        ClientDirectory.Query query = new ClientDirectory.Query(q, grant, registeredBy, owner, unused, after, before,
                PAGE_SIZE);
        ClientDirectory.Page page = directory.find(query);
        model.addAttribute("query", query);
        model.addAttribute("by", registeredBy == null ? "" : registeredBy.value());
        model.addAttribute("page", page);
        model.addAttribute("grantTypes", grantTypes);
        UriComponentsBuilder filters = UriComponentsBuilder.fromPath(PATH);
        addIfPresent(filters, "q", query.text());
        addIfPresent(filters, "grant", query.grant());
        addIfPresent(filters, "by", registeredBy == null ? "" : registeredBy.value());
        addIfPresent(filters, "owner", query.owner());
        if (query.unusedDays() > 0) {
            filters.queryParam("unused", query.unusedDays());
        }
        model.addAttribute("nextUrl", page.hasNext()
                ? filters.cloneBuilder().queryParam("after", page.lastId()).encode().toUriString() : null);
        model.addAttribute("previousUrl", page.hasPrevious()
                ? filters.cloneBuilder().queryParam("before", page.firstId()).encode().toUriString() : null);
        model.addAttribute("section", "clients");
        return "console/clients";
    }

    @GetMapping(NEW)
    String newClient(Model model) {
        return form(ConsoleClientForm.blank(), null, null, model);
    }

    /**
     * Registers the client as an administrator would through the admin API; a secret, when the
     * authentication method needs one, is shown once on a page no cache keeps.
     */
    @PostMapping(NEW)
    String create(@ModelAttribute("form") ConsoleClientForm form, Principal operator, Model model,
            HttpServletResponse response, RedirectAttributes redirect) {
        ClientManagement.WithSecret created;
        try {
            created = clients.create(form.toRequest(), null, operator.getName());
        } catch (InvalidRequestException e) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            return form(form, null, e, model);
        }
        if (created.clientSecret() != null) {
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            model.addAttribute("client", created.client());
            model.addAttribute("secret", created.clientSecret());
            model.addAttribute("created", true);
            model.addAttribute("section", "clients");
            return "console/client-secret";
        }
        redirect.addFlashAttribute("done", "created");
        redirect.addAttribute("id", created.client().clientId());
        return "redirect:" + PATH + "/{id}";
    }

    @GetMapping("/{clientId}/edit")
    String edit(@PathVariable String clientId, Model model) {
        ClientView client = clients.get(clientId);
        return form(ConsoleClientForm.of(client), client, null, model);
    }

    /** Every setting at once, like the admin API's PUT: what the form does not send is off or empty. */
    @PostMapping("/{clientId}/edit")
    String update(@PathVariable String clientId, @ModelAttribute("form") ConsoleClientForm form,
            Principal operator, Model model, HttpServletResponse response, RedirectAttributes redirect) {
        ClientView existing = clients.get(clientId);
        try {
            clients.update(clientId, form.toRequest().withClientId(clientId), operator.getName());
        } catch (InvalidRequestException e) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            return form(form, existing, e, model);
        }
        redirect.addFlashAttribute("done", "saved");
        return "redirect:" + PATH + "/{clientId}";
    }

    private String form(ConsoleClientForm form, ClientView existing, InvalidRequestException refused, Model model) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (refused != null) {
            // "redirectUris[2]" belongs to the redirect URIs' field
            refused.problems().forEach(problem -> errors.merge(problem.field().replaceAll("\\[.*", ""),
                    problem.message(), (a, b) -> a + "; " + b));
            model.addAttribute("problem", ConsoleProblems.describe(refused));
        }
        model.addAttribute("form", form);
        model.addAttribute("existing", existing);
        model.addAttribute("errors", errors);
        model.addAttribute("grantChoices", grantTypes);
        model.addAttribute("legacyGrants", ConsoleClientForm.LEGACY_GRANTS);
        model.addAttribute("authChoices", ClientRules.AUTH_METHODS);
        model.addAttribute("algChoices", ClientRules.ACCESS_TOKEN_SIGNING_ALGS);
        model.addAttribute("scopeChoices", scopes.all().values().stream()
                .sorted(Comparator.comparing(ScopeDefinition::name)).toList());
        model.addAttribute("section", "clients");
        return "console/client-form";
    }

    @GetMapping("/{clientId}")
    String detail(@PathVariable String clientId, Model model) {
        ClientView client = clients.get(clientId);
        model.addAttribute("client", client);
        model.addAttribute("footprint", directory.footprint(clientId));
        model.addAttribute("section", "clients");
        return "console/client";
    }

    @GetMapping("/{clientId}/secret")
    String confirmNewSecret(@PathVariable String clientId, Model model) {
        return confirm(clientId, "secret", model);
    }

    @PostMapping("/{clientId}/secret")
    String newSecret(@PathVariable String clientId, Principal operator, Model model, HttpServletResponse response,
            RedirectAttributes redirect) {
        try {
            ClientManagement.WithSecret rotated = clients.rotateSecret(clientId, operator.getName());
            // shown once: never stored by a browser or a proxy (RFC 9111 §5.2.2.5)
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            model.addAttribute("client", rotated.client());
            model.addAttribute("secret", rotated.clientSecret());
            model.addAttribute("section", "clients");
            return "console/client-secret";
        } catch (InvalidRequestException e) {
            redirect.addFlashAttribute("problem", ConsoleProblems.describe(e));
            return "redirect:" + PATH + "/{clientId}";
        }
    }

    @GetMapping("/{clientId}/disable")
    String confirmDisable(@PathVariable String clientId, Model model) {
        return confirm(clientId, "disable", model);
    }

    @PostMapping("/{clientId}/disable")
    String disable(@PathVariable String clientId, Principal operator, RedirectAttributes redirect) {
        clients.setEnabled(clientId, false, operator.getName());
        redirect.addFlashAttribute("done", "disabled");
        return "redirect:" + PATH + "/{clientId}";
    }

    @PostMapping("/{clientId}/enable")
    String enable(@PathVariable String clientId, Principal operator, RedirectAttributes redirect) {
        clients.setEnabled(clientId, true, operator.getName());
        redirect.addFlashAttribute("done", "enabled");
        return "redirect:" + PATH + "/{clientId}";
    }

    @GetMapping("/{clientId}/delete")
    String confirmDelete(@PathVariable String clientId, Model model) {
        return confirm(clientId, "delete", model);
    }

    @PostMapping("/{clientId}/delete")
    String delete(@PathVariable String clientId, Principal operator, RedirectAttributes redirect) {
        clients.delete(clientId, operator.getName());
        redirect.addFlashAttribute("deleted", clientId);
        return "redirect:" + PATH;
    }

    private String confirm(String clientId, String action, Model model) {
        model.addAttribute("client", clients.get(clientId));
        model.addAttribute("footprint", directory.footprint(clientId));
        model.addAttribute("action", action);
        model.addAttribute("section", "clients");
        return "console/client-confirm";
    }

    /** An unknown filter value lists nothing rather than everything: it is a filter the operator typed. */
    private static RegisteredBy registeredBy(String value) {
        for (RegisteredBy candidate : RegisteredBy.values()) {
            if (candidate.value().equals(value)) {
                return candidate;
            }
        }
        throw new InvalidRequestException("by", "is one of admin, user, registration");
    }

    private static void addIfPresent(UriComponentsBuilder builder, String name, String value) {
        if (value != null && !value.isBlank()) {
            builder.queryParam(name, value);
        }
    }
}
