package dev.ostiary.login;

import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.context.MessageSource;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.util.UriComponentsBuilder;

import dev.ostiary.client.ClientIdentity;

/**
 * The login page. Spring Security's form login handles the POST. The page names the client that is
 * asking, read from the authorization request waiting in the session, and says nothing about
 * whether a user name exists.
 */
@Controller
class LoginController {

    private final RegisteredClientRepository clients;
    private final MessageSource messages;
    private final HttpSessionRequestCache savedRequests = new HttpSessionRequestCache();

    LoginController(RegisteredClientRepository clients, MessageSource messages) {
        this.clients = clients;
        this.messages = messages;
    }

    @GetMapping("/login")
    String login(HttpServletRequest request, HttpServletResponse response, Locale locale, Model model) {
        HttpSession session = request.getSession(false);
        if (request.getParameter("error") != null && session != null) {
            Object failure = session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
            model.addAttribute("error", messages.getMessage(failure instanceof LockedException
                    ? "login.error.locked" : "login.error.invalid", null, locale));
        } else if (request.getParameter("error") != null) {
            model.addAttribute("error", messages.getMessage("login.error.invalid", null, locale));
        }
        model.addAttribute("loggedOut", request.getParameter("logout") != null);
        // console/ConsoleIdleTimeout signed the operator out
        model.addAttribute("consoleTimedOut", request.getParameter("console-timeout") != null);
        reauthentication(request, model);
        ClientIdentity asking = askingClient(request, response);
        model.addAttribute("clientName", asking == null ? null : asking.name());
        model.addAttribute("client", asking);
        return "login";
    }

    /**
     * {@code /login?reauth}: the authorization endpoint wants a fresh sign-in (prompt=login, max_age;
     * stepup/StepUpValidator). The form is the same; the page says why and fills in who is signed in.
     */
    private static void reauthentication(HttpServletRequest request, Model model) {
        Authentication current = SecurityContextHolder.getContext().getAuthentication();
        boolean signedIn = current != null && current.isAuthenticated()
                && !(current instanceof AnonymousAuthenticationToken);
        boolean reauth = request.getParameter("reauth") != null && signedIn;
        model.addAttribute("reauth", reauth);
        if (reauth) {
            model.addAttribute("username", current.getName());
        }
    }

    private ClientIdentity askingClient(HttpServletRequest request, HttpServletResponse response) {
        SavedRequest saved = savedRequests.getRequest(request, response);
        if (saved == null) {
            return null;
        }
        var parameters = UriComponentsBuilder.fromUriString(saved.getRedirectUrl()).build().getQueryParams();
        String clientId = parameters.getFirst("client_id");
        if (clientId == null) {
            return null;
        }
        RegisteredClient client = clients.findByClientId(decode(clientId));
        String redirectUri = parameters.getFirst("redirect_uri");
        return client == null ? null : ClientIdentity.of(client, redirectUri == null ? null : decode(redirectUri));
    }

    private static String decode(String value) {
        return java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
