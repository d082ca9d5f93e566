package dev.ostiary.console;

import java.util.Comparator;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

import dev.ostiary.client.ClientDirectory;
import dev.ostiary.resource.ResourceCatalog;
import dev.ostiary.resource.ResourceDefinition;
import dev.ostiary.scope.ScopeCatalog;
import dev.ostiary.scope.ScopeDefinition;

/**
 * The console's catalog: every scope with the text the consent page shows, the role it needs, its
 * audience and whether it needs a second factor; every resource (RFC 8707) with its scopes; and for
 * each, which clients may ask for it ({@link ClientDirectory#scopeUsage}). Read from the same catalogs
 * the token endpoint reads; changes are the admin API's ({@code /admin/api/scopes}, {@code /admin/api/resources}).
 */
@Controller
class ConsoleCatalogController {

    /** A resource with its scopes in order. */
    record ResourceRow(String uri, String name, java.util.List<String> scopes) {
    }

    /** Client ids listed under each entry; the count says how many more. */
    static final int CLIENTS_SHOWN = 12;

    private final ScopeCatalog scopes;
    private final ResourceCatalog resources;
    private final ClientDirectory directory;

    ConsoleCatalogController(ScopeCatalog scopes, ResourceCatalog resources, ClientDirectory directory) {
        this.scopes = scopes;
        this.resources = resources;
        this.directory = directory;
    }

    @GetMapping("/admin/catalog")
    String catalog(Model model) {
        model.addAttribute("scopes", scopes.all().values().stream()
                .sorted(Comparator.comparing(ScopeDefinition::name)).toList());
        model.addAttribute("resources", resources.all().values().stream()
                .sorted(Comparator.comparing(ResourceDefinition::uri))
                .map(r -> new ResourceRow(r.uri(), r.name(), r.scopes().stream().sorted().toList())).toList());
        model.addAttribute("scopeUsage", directory.scopeUsage(CLIENTS_SHOWN));
        model.addAttribute("resourceUsage", directory.resourceUsage(CLIENTS_SHOWN));
        model.addAttribute("none", ClientDirectory.Usage.NONE);
        model.addAttribute("section", "catalog");
        return "console/catalog";
    }
}
