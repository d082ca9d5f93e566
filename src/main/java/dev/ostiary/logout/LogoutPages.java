package dev.ostiary.logout;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The logout pages, in the look of login and consent: the confirmation an unproven RP-initiated
 * logout asks for (OpenID Connect RP-Initiated Logout 1.0 §2, §6; the POST carries the session's
 * CSRF token, so another site cannot submit it), the "You are signed out" page, and "sign out
 * everywhere" on the account page.
 */
@Controller
public class LogoutPages {

    public static final String CONFIRM_PAGE = "/logout/confirm";
    public static final String SIGN_OUT_EVERYWHERE = "/account/sign-out-everywhere";
    /** Pages anyone may see, signed in or not. */
    public static final String[] PUBLIC_PAGES = { CONFIRM_PAGE, PostLogoutRedirects.SIGNED_OUT_PAGE };
    /** The logout request's parameters the confirmation carries on to its POST. */
    static final List<String> PASSED_ON = List.of("client_id", "post_logout_redirect_uri", "state");
    static final int MAX_PARAMETER_LENGTH = 2000;

    private final RegisteredClientRepository clients;
    private final SessionLogout sessionLogout;
    private final SignOutEverywhere everywhere;

    LogoutPages(RegisteredClientRepository clients, SessionLogout sessionLogout, SignOutEverywhere everywhere) {
        this.clients = clients;
        this.sessionLogout = sessionLogout;
        this.everywhere = everywhere;
    }

    @GetMapping(CONFIRM_PAGE)
    String confirm(Authentication user, @RequestParam(name = "client_id", required = false) String clientId,
            @RequestParam(name = "post_logout_redirect_uri", required = false) String redirectUri,
            @RequestParam(required = false) String state, Model model) {
        if (!signedIn(user)) {
            return "signed-out";
        }
        RegisteredClient client = clientId == null ? null : clients.findByClientId(clientId);
        model.addAttribute("username", user.getName());
        model.addAttribute("clientName", client == null ? null : client.getClientName());
        model.addAttribute("clientId", client == null ? null : clientId);
        model.addAttribute("redirectUri", redirectUri);
        model.addAttribute("state", state);
        return "logout-confirm";
    }

    /** Confirmed: this session ends; back to the client only to a URI it registered (§3), else our page. */
    @PostMapping(CONFIRM_PAGE)
    String confirmed(Authentication user, HttpServletRequest request, HttpServletResponse response,
            @RequestParam(name = "client_id", required = false) String clientId,
            @RequestParam(name = "post_logout_redirect_uri", required = false) String redirectUri,
            @RequestParam(required = false) String state) {
        RegisteredClient client = clientId == null ? null : clients.findByClientId(clientId);
        if (signedIn(user)) {
            sessionLogout.logout(request, response, user, SessionLogout.Via.CONFIRMED,
                    client == null ? null : clientId);
        }
        String target = client == null ? null
                : PostLogoutRedirects.target(client.getPostLogoutRedirectUris(), redirectUri, state).orElse(null);
        return "redirect:" + (target == null ? PostLogoutRedirects.SIGNED_OUT_PAGE : target);
    }

    @GetMapping(PostLogoutRedirects.SIGNED_OUT_PAGE)
    String signedOut(@RequestParam(required = false) String everywhere, Model model) {
        model.addAttribute("everywhere", everywhere != null);
        return "signed-out";
    }

    @PostMapping(SIGN_OUT_EVERYWHERE)
    String signOutEverywhere(Authentication user, HttpServletRequest request, HttpServletResponse response) {
        everywhere.signOut(user.getName(), request.getRemoteAddr());
        sessionLogout.logout(request, response, user);
        return "redirect:" + PostLogoutRedirects.SIGNED_OUT_PAGE + "?everywhere";
    }

    private static boolean signedIn(Authentication user) {
        return user != null && user.isAuthenticated() && !(user instanceof AnonymousAuthenticationToken);
    }
}
