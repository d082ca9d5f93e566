package dev.ostiary.client;

import java.security.Principal;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Registered clients for administrators (an access token with scope {@code admin} and role {@code ADMIN}). */
@RestController
@RequestMapping("/admin/api/clients")
@Tag(name = "Clients", description = "Registered OAuth clients")
class ClientAdminController {

    private final ClientManagement clients;

    ClientAdminController(ClientManagement clients) {
        this.clients = clients;
    }

    /** A page of clients. */
    record ClientPage(List<ClientView> items, int page, int size, long total) {
    }

    @GetMapping
    @Operation(summary = "List clients, a page at a time")
    ClientPage list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        var result = clients.list(page, size);
        return new ClientPage(result.getContent(), result.getNumber(), result.getSize(), result.getTotalElements());
    }

    @PostMapping
    @Operation(summary = "Register a client; a generated secret is in this response only")
    ResponseEntity<ClientManagement.WithSecret> create(@RequestBody ClientRequest request, Principal admin) {
        return ResponseEntity.status(HttpStatus.CREATED).body(clients.create(request, null, admin.getName()));
    }

    @GetMapping("/{clientId}")
    @Operation(summary = "Read a client (never its secret)")
    ClientView get(@PathVariable String clientId) {
        return clients.get(clientId);
    }

    @PutMapping("/{clientId}")
    @Operation(summary = "Replace a client's settings")
    ClientView update(@PathVariable String clientId, @RequestBody ClientRequest request, Principal admin) {
        return clients.update(clientId, request, admin.getName());
    }

    @PostMapping("/{clientId}/secret")
    @Operation(summary = "Rotate the secret; the new secret is in this response only, the old one stops working")
    ClientManagement.WithSecret rotateSecret(@PathVariable String clientId, Principal admin) {
        return clients.rotateSecret(clientId, admin.getName());
    }

    @PostMapping("/{clientId}/disable")
    @Operation(summary = "Disable: the client can no longer authenticate or use what it was given")
    ClientView disable(@PathVariable String clientId, Principal admin) {
        return clients.setEnabled(clientId, false, admin.getName());
    }

    @PostMapping("/{clientId}/enable")
    @Operation(summary = "Enable a disabled client")
    ClientView enable(@PathVariable String clientId, Principal admin) {
        return clients.setEnabled(clientId, true, admin.getName());
    }

    @DeleteMapping("/{clientId}")
    @Operation(summary = "Delete a client with its authorizations and consents")
    ResponseEntity<Void> delete(@PathVariable String clientId, Principal admin) {
        clients.delete(clientId, admin.getName());
        return ResponseEntity.noContent().build();
    }
}
