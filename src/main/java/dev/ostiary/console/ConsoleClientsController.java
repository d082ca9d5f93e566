package dev.ostiary.console;

import java.security.Principal;
import java.util.List;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

import dev.ostiary.client.ClientDirectory;
import dev.ostiary.client.ClientManagement;
import dev.ostiary.client.ClientView;
import dev.ostiary.client.RegisteredBy;
import dev.ostiary.grant.Grants;
import dev.ostiary.problem.InvalidRequestException;

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

    private final ClientDirectory directory;
    private final ClientManagement clients;
    private final List<String> grantTypes;

    ConsoleClientsController(ClientDirectory directory, ClientManagement clients, Grants grants) {
        this.directory = directory;
        this.clients = clients;
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
