package dev.ostiary.scope;

import java.security.Principal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.ostiary.audit.AuditEvent;
import dev.ostiary.audit.AuditEventType;
import dev.ostiary.problem.FieldProblem;
import dev.ostiary.problem.InvalidRequestException;
import dev.ostiary.problem.NotFoundException;

/** The scope catalog for administrators: name, description shown on the consent page, required role, audience. */
@RestController
@RequestMapping("/admin/api/scopes")
@Tag(name = "Scopes", description = "The scope catalog")
class ScopeAdminController {

    /**
     * A scope as sent.
     *
     * @param requiresSecondFactor granted only to sign-ins with a second factor (acr urn:ostiary:loa:2); null
     *        is false on create and keeps the setting on update
     */
    record ScopeBody(String name, String description, String requiredRole, String audience, Boolean mandatory,
            Boolean requiresSecondFactor) {
    }

    private final ScopeRepository scopes;
    private final ScopeCatalog catalog;
    private final ApplicationEventPublisher events;

    ScopeAdminController(ScopeRepository scopes, ScopeCatalog catalog, ApplicationEventPublisher events) {
        this.scopes = scopes;
        this.catalog = catalog;
        this.events = events;
    }

    @GetMapping
    @Operation(summary = "List every scope")
    List<ScopeDefinition> list() {
        return catalog.all().values().stream().sorted(Comparator.comparing(ScopeDefinition::name)).toList();
    }

    @PostMapping
    @Transactional
    @Operation(summary = "Add a scope")
    ResponseEntity<ScopeDefinition> create(@RequestBody ScopeBody body, Principal admin) {
        check(body, true);
        if (scopes.existsById(body.name())) {
            throw new InvalidRequestException("name", "is already taken");
        }
        Scope scope = scopes.saveAndFlush(new Scope(body.name(), body.description(), blankToNull(body.requiredRole()),
                blankToNull(body.audience()), Boolean.TRUE.equals(body.mandatory()))
                .setRequiresSecondFactor(Boolean.TRUE.equals(body.requiresSecondFactor())));
        catalog.invalidate();
        events.publishEvent(AuditEvent.of(AuditEventType.SCOPE_CREATED, null, admin.getName(), Map.of("scope", body.name())));
        return ResponseEntity.status(HttpStatus.CREATED).body(ScopeDefinition.of(scope));
    }

    @PutMapping("/{name}")
    @Transactional
    @Operation(summary = "Change a scope's description, required role, audience or second-factor requirement")
    ScopeDefinition update(@PathVariable String name, @RequestBody ScopeBody body, Principal admin) {
        check(new ScopeBody(name, body.description(), body.requiredRole(), body.audience(), body.mandatory(),
                body.requiresSecondFactor()), false);
        Scope scope = scopes.findById(name).orElseThrow(() -> new NotFoundException("scope " + name));
        scope.setDescription(body.description()).setRequiredRole(blankToNull(body.requiredRole()))
                .setAudience(blankToNull(body.audience())).setMandatory(Boolean.TRUE.equals(body.mandatory()));
        if (body.requiresSecondFactor() != null) {
            scope.setRequiresSecondFactor(body.requiresSecondFactor());
        }
        scopes.saveAndFlush(scope);
        catalog.invalidate();
        events.publishEvent(AuditEvent.of(AuditEventType.SCOPE_UPDATED, null, admin.getName(), Map.of("scope", name)));
        return ScopeDefinition.of(scope);
    }

    @DeleteMapping("/{name}")
    @Transactional
    @Operation(summary = "Remove a scope from the catalog")
    ResponseEntity<Void> delete(@PathVariable String name, Principal admin) {
        Scope scope = scopes.findById(name).orElseThrow(() -> new NotFoundException("scope " + name));
        scopes.delete(scope);
        scopes.flush();
        catalog.invalidate();
        events.publishEvent(AuditEvent.of(AuditEventType.SCOPE_DELETED, null, admin.getName(), Map.of("scope", name)));
        return ResponseEntity.noContent().build();
    }

    private static void check(ScopeBody body, boolean creating) {
        List<FieldProblem> problems = new ArrayList<>();
        if (creating && (body.name() == null || !body.name().matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,100}"))) {
            problems.add(new FieldProblem("name", "1–100 printable characters, no space, quote or backslash (RFC 6749 §3.3)"));
        }
        if (body.description() == null || body.description().isBlank() || body.description().length() > 300) {
            problems.add(new FieldProblem("description", "is required (at most 300 characters): users read it on the consent page"));
        }
        if (body.requiredRole() != null && !body.requiredRole().isBlank()
                && !AuthorityNames.validRoleName(body.requiredRole())) {
            problems.add(new FieldProblem("requiredRole", "roles are upper case letters, digits and _"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
