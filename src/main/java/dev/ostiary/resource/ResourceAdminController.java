package dev.ostiary.resource;

import java.security.Principal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.problem.FieldProblem;
import dev.ostiary.problem.InvalidRequestException;
import dev.ostiary.problem.NotFoundException;
import dev.ostiary.scope.ScopeCatalog;

/**
 * The resource catalog for administrators (RFC 8707): each protected resource's identifier, name and
 * the scopes a token for it may carry. A resource is named by its URI in the query ({@code ?uri=}):
 * URIs have slashes, which a path segment cannot carry unencoded.
 */
@RestController
@RequestMapping("/admin/api/resources")
@Tag(name = "Resources", description = "The resource catalog (RFC 8707 resource indicators)")
class ResourceAdminController {

    static final int MAX_SCOPES = 50;

    /** A resource as sent. */
    record ResourceBody(String uri, String name, Set<String> scopes) {
    }

    private final ResourceRepository repository;
    private final ResourceCatalog catalog;
    private final ScopeCatalog scopes;
    private final ApplicationEventPublisher events;

    ResourceAdminController(ResourceRepository repository, ResourceCatalog catalog, ScopeCatalog scopes,
            ApplicationEventPublisher events) {
        this.repository = repository;
        this.catalog = catalog;
        this.scopes = scopes;
        this.events = events;
    }

    @GetMapping
    @Operation(summary = "List every resource")
    List<ResourceDefinition> list() {
        return catalog.all().values().stream().sorted(Comparator.comparing(ResourceDefinition::uri)).toList();
    }

    @PostMapping
    @Transactional
    @Operation(summary = "Add a resource")
    ResponseEntity<ResourceDefinition> create(@RequestBody ResourceBody body, Principal admin) {
        check(body);
        if (repository.existsById(body.uri())) {
            throw new InvalidRequestException("uri", "is already in the catalog");
        }
        Resource resource = repository.saveAndFlush(new Resource(body.uri(), body.name().trim(), scopesOf(body)));
        catalog.invalidate();
        audit(AuditEventType.RESOURCE_CREATED, body.uri(), admin);
        return ResponseEntity.status(HttpStatus.CREATED).body(ResourceDefinition.of(resource));
    }

    @PutMapping
    @Transactional
    @Operation(summary = "Change a resource's name or scopes")
    ResourceDefinition update(@RequestParam String uri, @RequestBody ResourceBody body, Principal admin) {
        ResourceBody named = new ResourceBody(uri, body.name(), body.scopes());
        check(named);
        Resource resource = repository.findById(uri).orElseThrow(() -> new NotFoundException("resource " + uri));
        resource.setName(named.name().trim()).setScopes(scopesOf(named));
        repository.saveAndFlush(resource);
        catalog.invalidate();
        audit(AuditEventType.RESOURCE_UPDATED, uri, admin);
        return ResourceDefinition.of(resource);
    }

    @DeleteMapping
    @Transactional
    @Operation(summary = "Remove a resource from the catalog: no client gets tokens for it any more")
    ResponseEntity<Void> delete(@RequestParam String uri, Principal admin) {
        Resource resource = repository.findById(uri).orElseThrow(() -> new NotFoundException("resource " + uri));
        repository.delete(resource);
        repository.flush();
        catalog.invalidate();
        audit(AuditEventType.RESOURCE_DELETED, uri, admin);
        return ResponseEntity.noContent().build();
    }

    private void check(ResourceBody body) {
        List<FieldProblem> problems = new ArrayList<>();
        if (!ResourceIndicators.wellFormed(body.uri())) {
            problems.add(new FieldProblem("uri", "an absolute URI without a fragment, at most "
                    + ResourceIndicators.MAX_LENGTH + " characters (RFC 8707 §2)"));
        }
        if (body.name() == null || body.name().isBlank() || body.name().length() > 200) {
            problems.add(new FieldProblem("name", "is required (at most 200 characters)"));
        }
        Set<String> listed = scopesOf(body);
        if (listed.size() > MAX_SCOPES) {
            problems.add(new FieldProblem("scopes", "at most " + MAX_SCOPES));
        }
        for (String scope : listed) {
            if (scopes.find(scope).isEmpty()) {
                problems.add(new FieldProblem("scopes", "unknown scope: " + scope));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
    }

    private static Set<String> scopesOf(ResourceBody body) {
        return body.scopes() == null ? Set.of() : new LinkedHashSet<>(body.scopes());
    }

    private void audit(AuditEventType type, String uri, Principal admin) {
        events.publishEvent(AuditEvent.of(type, null, admin.getName(), Map.of("resource", uri)));
    }
}
