package dev.ostiary.console;

import java.security.Principal;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
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

import dev.ostiary.account.AccountSessions;
import dev.ostiary.consent.ConsentRevocation;
import dev.ostiary.crypto.RandomTokens;
import dev.ostiary.logout.SessionLogout;
import dev.ostiary.logout.SignOutEverywhere;
import dev.ostiary.passkeys.PasskeyAdministration;
import dev.ostiary.problem.InvalidRequestException;
import dev.ostiary.problem.NotFoundException;
import dev.ostiary.recovery.MailContext;
import dev.ostiary.recovery.PasswordRecovery;
import dev.ostiary.secondfactor.SecondFactors;
import dev.ostiary.user.UserDirectory;
import dev.ostiary.user.UserManagement;
import dev.ostiary.web.IssuerProperties;

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

    /** The form's own path: "~" is no user name's character (UserManagement.validUsername), so no account's page is shadowed. */
    static final String NEW = "/~new";

    private final UserDirectory directory;
    private final UserManagement users;
    private final SecondFactors secondFactors;
    private final PasskeyAdministration passkeys;
    private final SignOutEverywhere signOut;
    private final ConsentRevocation consents;
    private final RegisteredClientRepository clients;
    private final PasswordRecovery recovery;
    private final IssuerProperties issuer;
    private final AccountSessions sessions;
    private final SessionLogout sessionLogout;

    ConsoleUsersController(UserDirectory directory, UserManagement users, SecondFactors secondFactors,
            PasskeyAdministration passkeys, SignOutEverywhere signOut, ConsentRevocation consents,
            RegisteredClientRepository clients, PasswordRecovery recovery, IssuerProperties issuer,
            AccountSessions sessions, SessionLogout sessionLogout) {
        this.directory = directory;
        this.users = users;
        this.secondFactors = secondFactors;
        this.passkeys = passkeys;
        this.signOut = signOut;
        this.consents = consents;
        this.clients = clients;
        this.recovery = recovery;
        this.issuer = issuer;
        this.sessions = sessions;
        this.sessionLogout = sessionLogout;
    }

    /** The new-user form as posted; a blank password means "send a link to choose one". */
    record NewUserForm(String username, String email, Boolean emailVerified, String roles, String password) {

        static NewUserForm blank() {
            return new NewUserForm("", "", null, "USER", "");
        }
    }

    @GetMapping(NEW)
    String newUser(Model model) {
        model.addAttribute("form", NewUserForm.blank());
        model.addAttribute("section", "users");
        return "console/user-form";
    }

    /**
     * Creates the account through {@link UserManagement#create}, as {@code POST /admin/api/users} does.
     * Without a password, the account gets a random one nobody knows and a reset link goes to its
     * address, which must be one the operator vouches for (verified): the same rule the reset page
     * keeps, since the link is a key to the account.
     */
    @PostMapping(NEW)
    String create(@ModelAttribute("form") NewUserForm form, Principal operator, HttpServletRequest request,
            HttpServletResponse response, Model model, RedirectAttributes redirect) {
        boolean sendLink = form.password() == null || form.password().isEmpty();
        boolean verified = Boolean.TRUE.equals(form.emailVerified());
        try {
            if (sendLink && (form.email() == null || form.email().isBlank() || !verified)) {
                throw new InvalidRequestException("password",
                        "give one, or a verified e-mail address to send a link to choose one");
            }
            String password = sendLink ? RandomTokens.generate() : form.password();
            Set<String> roles = roles(form.roles());
            UserManagement.UserView created = users.create(new UserManagement.NewUser(form.username(), password,
                    roles.isEmpty() ? null : roles, false, form.email() == null || form.email().isBlank() ? null : form.email(),
                    verified), operator.getName());
            if (sendLink) {
                recovery.requestReset(created.username(), MailContext.of(request, issuer).byOperator(operator.getName()));
            }
            redirect.addFlashAttribute("done", sendLink ? "createdLink" : "created");
            redirect.addAttribute("username", created.username());
            return "redirect:" + PATH + "/{username}";
        } catch (InvalidRequestException e) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("form", new NewUserForm(form.username(), form.email(), form.emailVerified(),
                    form.roles(), ""));
            model.addAttribute("problem", ConsoleProblems.describe(e));
            model.addAttribute("section", "users");
            return "console/user-form";
        }
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
    String detail(@PathVariable String username, HttpServletRequest request, Model model) {
        UserManagement.UserView user = users.get(username);
        model.addAttribute("user", user);
        model.addAttribute("footprint", directory.footprint(user.username()));
        model.addAttribute("sessions", sessions.of(user.username(), currentSessionId(request)));
        model.addAttribute("consents", directory.consents(user.username()));
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
        Set<String> wanted = roles(roles);
        try {
            users.setRoles(username, wanted, operator.getName());
        } catch (InvalidRequestException e) {
            redirect.addFlashAttribute("problem", ConsoleProblems.describe(e));
            return "redirect:" + PATH + "/{username}";
        }
        return done(redirect, "roles");
    }

    /** The mail is sent after the answer, if the address is verified and the mail budget allows. */
    @PostMapping("/{username}/reset-link")
    String resetLink(@PathVariable String username, Principal operator, HttpServletRequest request,
            RedirectAttributes redirect) {
        UserManagement.UserView user = users.get(username);
        recovery.requestReset(user.username(), MailContext.of(request, issuer).byOperator(operator.getName()));
        return done(redirect, "resetLink");
    }

    @GetMapping("/{username}/sign-out")
    String confirmSignOut(@PathVariable String username, Model model) {
        return confirm(username, "sign-out", model);
    }

    /** Every session and token, as "sign out everywhere" on the account page, with back-channel logouts. */
    @PostMapping("/{username}/sign-out")
    String signOut(@PathVariable String username, Principal operator, HttpServletRequest request,
            RedirectAttributes redirect) {
        UserManagement.UserView user = users.get(username);
        signOut.signOut(user.username(), request.getRemoteAddr(), operator.getName());
        return done(redirect, "signedOut");
    }

    /**
     * One of the user's sessions, as the user ends one from their sessions page: its row goes (the
     * browser is asked to sign in at its next request, on any node) and what it granted is revoked, with
     * back-channel logouts. The handle is the session row's random {@code primary_id}, never the cookie;
     * one that is not this user's, or is the operator's own session, ends nothing and is not found.
     */
    @PostMapping("/{username}/sessions/{handle}/end")
    String endSession(@PathVariable String username, @PathVariable String handle, Principal operator,
            HttpServletRequest request, RedirectAttributes redirect) {
        UserManagement.UserView user = users.get(username);
        AccountSessions.Ended ended = sessions.end(user.username(), handle, currentSessionId(request))
                .orElseThrow(() -> new NotFoundException("no such session of this user"));
        sessionLogout.endedByOperator(user.username(), ended.sessionId(), request.getRemoteAddr(), operator.getName());
        return done(redirect, "sessionEnded");
    }

    @GetMapping("/{username}/remove-app")
    String confirmRemoveApp(@PathVariable String username, Model model) {
        return confirm(username, "remove-app", model);
    }

    @PostMapping("/{username}/remove-app")
    String removeApp(@PathVariable String username, Principal operator, RedirectAttributes redirect) {
        UserManagement.UserView user = users.get(username);
        secondFactors.removeByOperator(user.username(), operator.getName());
        return done(redirect, "appRemoved");
    }

    @GetMapping("/{username}/remove-passkeys")
    String confirmRemovePasskeys(@PathVariable String username, Model model) {
        return confirm(username, "remove-passkeys", model);
    }

    @PostMapping("/{username}/remove-passkeys")
    String removePasskeys(@PathVariable String username, Principal operator, RedirectAttributes redirect) {
        UserManagement.UserView user = users.get(username);
        passkeys.removeAll(user.username(), operator.getName());
        return done(redirect, "passkeysRemoved");
    }

    /** One consent and what was granted under it (ConsentRevocation, as the user's own consents page). */
    @PostMapping("/{username}/consents/{clientId}/revoke")
    String revokeConsent(@PathVariable String username, @PathVariable String clientId, Principal operator,
            RedirectAttributes redirect) {
        UserManagement.UserView user = users.get(username);
        RegisteredClient client = clients.findByClientId(clientId);
        if (client == null) {
            throw new NotFoundException("client " + clientId);
        }
        consents.revoke(client, user.username(), operator.getName());
        return done(redirect, "consentRevoked");
    }

    @GetMapping("/{username}/delete")
    String confirmDelete(@PathVariable String username, Model model) {
        return confirm(username, "delete", model);
    }

    @PostMapping("/{username}/delete")
    String delete(@PathVariable String username, Principal operator, RedirectAttributes redirect) {
        UserManagement.UserView user = users.get(username);
        users.delete(user.username(), operator.getName());
        redirect.addFlashAttribute("deleted", user.username());
        return "redirect:" + PATH;
    }

    private static Set<String> roles(String text) {
        Set<String> wanted = new LinkedHashSet<>();
        Arrays.stream((text == null ? "" : text).split("[\\s,]+")).map(String::strip).filter(r -> !r.isEmpty())
                .map(r -> r.toUpperCase(java.util.Locale.ROOT)).forEach(wanted::add);
        return wanted;
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

    private static String currentSessionId(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session == null ? null : session.getId();
    }

    private static void addIfPresent(UriComponentsBuilder builder, String name, String value) {
        if (value != null && !value.isBlank()) {
            builder.queryParam(name, value);
        }
    }
}
