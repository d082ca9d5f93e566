package dev.ostiary.console;

import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import dev.ostiary.keys.KeyFootprint;
import dev.ostiary.keys.KeyState;
import dev.ostiary.keys.SigningAlgorithm;
import dev.ostiary.keys.SigningKeyService;
import dev.ostiary.keys.SigningKeyService.KeyView;
import dev.ostiary.problem.NotFoundException;

/**
 * The console's signing keys: each algorithm's keys as a timeline (published as next, signing while
 * active, published while retired until the tokens it signed have expired, then deleted; or revoked),
 * rotating now and the emergency revocation, through the admin API's {@link SigningKeyService} calls
 * with the operator's name. Both changes are a confirmation page first, which says what follows: a
 * revocation counts the access tokens it invalidates ({@link KeyFootprint}).
 */
@Controller
@RequestMapping(ConsoleKeysController.PATH)
class ConsoleKeysController {

    static final String PATH = "/admin/keys";

    /** A key and, when it signed anything, how many of its access tokens are still within their lifetime. */
    record KeyRow(KeyView key, long liveAccessTokens) {
    }

    private final SigningKeyService keys;
    private final KeyFootprint footprint;
    private final Clock clock;

    ConsoleKeysController(SigningKeyService keys, KeyFootprint footprint, Clock clock) {
        this.keys = keys;
        this.footprint = footprint;
        this.clock = clock;
    }

    @GetMapping
    String timeline(Model model) {
        Instant now = clock.instant();
        Map<SigningAlgorithm, List<KeyRow>> byAlgorithm = new LinkedHashMap<>();
        for (SigningAlgorithm algorithm : SigningAlgorithm.values()) {
            List<KeyRow> rows = keys.describeKeys().stream().filter(key -> key.algorithm() == algorithm)
                    .sorted(Comparator.comparing(KeyView::createdAt))
                    .map(key -> new KeyRow(key, live(key, now))).toList();
            if (!rows.isEmpty()) {
                byAlgorithm.put(algorithm, rows);
            }
        }
        model.addAttribute("algorithms", byAlgorithm);
        model.addAttribute("section", "keys");
        return "console/keys";
    }

    @GetMapping("/rotate")
    String confirmRotate(@RequestParam SigningAlgorithm algorithm, Model model) {
        List<KeyView> ofAlgorithm = keys.describeKeys().stream().filter(key -> key.algorithm() == algorithm).toList();
        model.addAttribute("algorithm", algorithm);
        model.addAttribute("active", ofAlgorithm.stream().filter(key -> key.state() == KeyState.active).findFirst()
                .orElse(null));
        model.addAttribute("next", ofAlgorithm.stream().filter(key -> key.state() == KeyState.next)
                .min(Comparator.comparing(KeyView::createdAt)).orElse(null));
        model.addAttribute("action", "rotate");
        model.addAttribute("section", "keys");
        return "console/key-confirm";
    }

    @PostMapping("/rotate")
    String rotate(@RequestParam SigningAlgorithm algorithm, Principal operator, RedirectAttributes redirect) {
        String kid = keys.rotateNow(algorithm, operator.getName());
        redirect.addFlashAttribute("rotated", kid);
        return "redirect:" + PATH;
    }

    @GetMapping("/{kid}/revoke")
    String confirmRevoke(@PathVariable String kid, Model model) {
        KeyView key = find(kid);
        model.addAttribute("key", key);
        model.addAttribute("liveAccessTokens", live(key, clock.instant()));
        model.addAttribute("action", "revoke");
        model.addAttribute("section", "keys");
        return "console/key-confirm";
    }

    @PostMapping("/{kid}/revoke")
    String revoke(@PathVariable String kid, Principal operator, RedirectAttributes redirect) {
        find(kid);
        // false: revoked by someone else a moment ago; the page shows it revoked either way
        keys.revoke(kid, operator.getName());
        redirect.addFlashAttribute("revoked", kid);
        return "redirect:" + PATH;
    }

    private KeyView find(String kid) {
        return keys.describeKeys().stream().filter(key -> key.kid().equals(kid)).findFirst()
                .orElseThrow(() -> new NotFoundException("key " + kid));
    }

    private long live(KeyView key, Instant now) {
        return key.state() == KeyState.revoked || key.state() == KeyState.next ? 0 : footprint.liveAccessTokens(key, now);
    }
}
