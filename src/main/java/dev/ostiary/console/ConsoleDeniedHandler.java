package dev.ostiary.console;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;

import dev.ostiary.secondfactor.SecondFactorStep;
import dev.ostiary.web.ErrorPages;

/**
 * How the console answers a signed-in user it refused ({@link ConsoleAccess}): a pending second factor
 * goes to the second-factor page with the request saved (so the code continues to the console page, as
 * R1 does for every other page); a user who is not an operator, or an operator without a second factor
 * enrolled, gets a 403 page that says which, and how to get one. Anything else denied (a missing or
 * wrong CSRF token) is Spring's plain 403.
 */
final class ConsoleDeniedHandler implements AccessDeniedHandler {

    private final RequestCache requests = new HttpSessionRequestCache();
    private final AccessDeniedHandler plain = new AccessDeniedHandlerImpl();

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException, ServletException {
        Object refusal = request.getAttribute(ConsoleAccess.REFUSAL);
        if (refusal == ConsoleAccess.Refusal.SECOND_FACTOR_PENDING) {
            requests.saveRequest(request, response);
            response.sendRedirect(request.getContextPath() + SecondFactorStep.PAGE);
            return;
        }
        if (refusal == ConsoleAccess.Refusal.NOT_AN_OPERATOR) {
            request.setAttribute(ErrorPages.TEXTS, "console.denied.notOperator");
        } else if (refusal == ConsoleAccess.Refusal.NEEDS_SECOND_FACTOR) {
            request.setAttribute(ErrorPages.TEXTS, "console.denied.secondFactor");
        }
        plain.handle(request, response, denied);
    }
}
