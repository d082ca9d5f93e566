package dev.ostiary.console;

import java.security.Principal;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

import dev.ostiary.problem.InvalidRequestException;
import dev.ostiary.user.UserDirectory;
import dev.ostiary.user.UserManagement;

/**
 * The console's users: the list (search, filters, keyset paging: {@link UserDirectory}), one user's
 * account and what they hold now (sessions, live authorizations, consents, factors), and the changes
 * the admin API makes, through the same {@link UserManagement} calls (same rules, same audit events,
 * with the operator's name). Locking and disabling end the user's sessions and revoke their tokens, so
 * each is first a page that says how many; a new set of roles does the same when it differs, which the
 * form says beside its button.
 */
@Controller
@RequestMapping(ConsoleUsersController.PATH)
class ConsoleUsersController {

    static final String PATH = "/admin/users";
    static final int PAGE_SIZE = 50;

    private final UserDirectory directory;
    private final UserManagement users;

    ConsoleUsersController(UserDirectory directory, UserManagement users) {
        this.directory = directory;
        this.users = users;
    }

    @GetMapping
    String list(@RequestParam(defaultValue = "") String q, @RequestParam(defaultValue = "") String role,
            @RequestParam(defaultValue = "") String state, @RequestParam(required = false) String after,
            @RequestParam(required = false) String before, Model model) {
        UserDirectory.State wanted = state.isBlank() ? null : UserDirectory.State.of(state);
        UserDirectory.Query query = new UserDirectory.Query(q, role, wanted, after, before, PAGE_SIZE);
        UserDirectory.Page page = directory.find(query);
        model.addAttribute("query", query);
        model.addAttribute("state", wanted == null ? "" : wanted.value());
        model.addAttribute("page", page);
        UriComponentsBuilder filters = UriComponentsBuilder.fromPath(PATH);
        addIfPresent(filters, "q", query.text());
        addIfPresent(filters, "role", query.role());
        addIfPresent(filters, "state", wanted == null ? "" : wanted.value());
        model.addAttribute("nextUrl", page.hasNext()
                ? filters.cloneBuilder().queryParam("after", page.lastUsername()).encode().toUriString() : null);
        model.addAttribute("previousUrl", page.hasPrevious()
                ? filters.cloneBuilder().queryParam("before", page.firstUsername()).encode().toUriString() : null);
        model.addAttribute("section", "users");
        return "console/users";
    }

    @GetMapping("/{username}")
    String detail(@PathVariable String username, Model model) {
        UserManagement.UserView user = users.get(username);
        model.addAttribute("user", user);
        model.addAttribute("footprint", directory.footprint(user.username()));
        model.addAttribute("rolesText", String.join(" ", user.roles().stream().sorted().toList()));
        model.addAttribute("section", "users");
        return "console/user";
    }

    @GetMapping("/{username}/lock")
    String confirmLock(@PathVariable String username, Model model) {
        return confirm(username, "lock", model);
    }

    @PostMapping("/{username}/lock")
    String lock(@PathVariable String username, Principal operator, RedirectAttributes redirect) {
        users.lock(username, true, operator.getName());
        return done(redirect, "locked");
    }

    @PostMapping("/{username}/unlock")
    String unlock(@PathVariable String username, Principal operator, RedirectAttributes redirect) {
        users.lock(username, false, operator.getName());
        return done(redirect, "unlocked");
    }

    @GetMapping("/{username}/disable")
    String confirmDisable(@PathVariable String username, Model model) {
        return confirm(username, "disable", model);
    }

    @PostMapping("/{username}/disable")
    String disable(@PathVariable String username, Principal operator, RedirectAttributes redirect) {
        users.setEnabled(username, false, operator.getName());
        return done(redirect, "disabled");
    }

    @PostMapping("/{username}/enable")
    String enable(@PathVariable String username, Principal operator, RedirectAttributes redirect) {
        users.setEnabled(username, true, operator.getName());
        return done(redirect, "enabled");
    }

    /** Roles as the operator types them: separated by spaces or commas, any case (role names are upper case). */
    @PostMapping("/{username}/roles")
    String roles(@PathVariable String username, @RequestParam(defaultValue = "") String roles, Principal operator,
            RedirectAttributes redirect) {
        Set<String> wanted = new LinkedHashSet<>();
        Arrays.stream(roles.split("[\\s,]+")).map(String::strip).filter(r -> !r.isEmpty())
                .map(r -> r.toUpperCase(java.util.Locale.ROOT)).forEach(wanted::add);
        try {
            users.setRoles(username, wanted, operator.getName());
        } catch (InvalidRequestException e) {
            redirect.addFlashAttribute("problem", ConsoleProblems.describe(e));
            return "redirect:" + PATH + "/{username}";
        }
        return done(redirect, "roles");
    }

    private static String done(RedirectAttributes redirect, String what) {
        redirect.addFlashAttribute("done", what);
        return "redirect:" + PATH + "/{username}";
    }

    private String confirm(String username, String action, Model model) {
        UserManagement.UserView user = users.get(username);
        model.addAttribute("user", user);
        model.addAttribute("footprint", directory.footprint(user.username()));
        model.addAttribute("action", action);
        model.addAttribute("section", "users");
        return "console/user-confirm";
    }

    private static void addIfPresent(UriComponentsBuilder builder, String name, String value) {
        if (value != null && !value.isBlank()) {
            builder.queryParam(name, value);
        }
    }
}
