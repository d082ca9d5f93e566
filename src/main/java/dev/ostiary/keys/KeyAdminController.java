package dev.ostiary.keys;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Signing keys for operators (an access token with scope {@code admin} and role {@code ADMIN}):
 * list them, rotate now, and revoke a compromised key, which leaves the JWKS at once.
 */
@RestController
@RequestMapping("/admin/api/keys")
class KeyAdminController {

    private final SigningKeyService keys;

    KeyAdminController(SigningKeyService keys) {
        this.keys = keys;
    }

    @GetMapping
    List<SigningKeyService.KeyView> list() {
        return keys.describeKeys();
    }

    @PostMapping("/rotate")
    Map<String, String> rotate(@RequestParam(defaultValue = "RS256") SigningAlgorithm algorithm,
            java.security.Principal admin) {
        return Map.of("kid", keys.rotateNow(algorithm, admin.getName()), "algorithm", algorithm.name());
    }

    @PostMapping("/{kid}/revoke")
    ResponseEntity<Void> revoke(@PathVariable String kid, java.security.Principal admin) {
        return keys.revoke(kid, admin.getName()) ? ResponseEntity.noContent().build() : ResponseEntity.status(HttpStatus.NOT_FOUND).build();
    }
}
