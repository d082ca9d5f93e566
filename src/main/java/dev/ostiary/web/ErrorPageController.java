package dev.ostiary.web;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * Every error that reaches the servlet container: a page for browsers, RFC 6749-style JSON for
 * everything else. Never a stack trace or exception message: only the status and, for authorization
 * requests that could not be sent back to the client, the OAuth error.
 */
@Controller
class ErrorPageController implements ErrorController {

    /**
     * The OAuth error of an authorization request that could not go back to its client: the
     * authorization endpoint puts it in the request under its type's name.
     */
    private static final String AUTHORIZATION_ERROR = OAuth2Error.class.getName();

    private final MessageSource messages;

    ErrorPageController(MessageSource messages) {
        this.messages = messages;
    }

    @RequestMapping(path = "/error", produces = MediaType.TEXT_HTML_VALUE)
    String page(HttpServletRequest request, Model model, jakarta.servlet.http.HttpServletResponse response,
            Locale locale) {
        HttpStatus status = status(request);
        response.setStatus(status.value());
        OAuth2Error error = (OAuth2Error) request.getAttribute(AUTHORIZATION_ERROR);
        String texts;
        Object ownTexts = request.getAttribute(ErrorPages.TEXTS);
        if (ownTexts instanceof String own) {
            texts = own;
            model.addAttribute("ownTexts", true);
        } else if (error != null) {
            texts = "error.authorization";
            model.addAttribute("error", error.getErrorCode());
            model.addAttribute("description", error.getDescription());
        } else if (status == HttpStatus.NOT_FOUND) {
            texts = "error.notFound";
        } else if (status == HttpStatus.FORBIDDEN) {
            texts = "error.forbidden";
        } else if (status.is4xxClientError()) {
            texts = "error.badRequest";
        } else {
            texts = "error.server";
        }
        model.addAttribute("heading", messages.getMessage(texts + ".heading", null, locale));
        model.addAttribute("message", messages.getMessage(texts + ".message", null, locale));
        return "error";
    }

    @RequestMapping("/error")
    @ResponseBody
    ResponseEntity<Map<String, String>> json(HttpServletRequest request) {
        HttpStatus status = status(request);
        Map<String, String> body = new LinkedHashMap<>();
        OAuth2Error error = (OAuth2Error) request.getAttribute(AUTHORIZATION_ERROR);
        if (error != null) {
            body.put("error", error.getErrorCode());
            if (error.getDescription() != null) {
                body.put("error_description", error.getDescription());
            }
        } else if (status == HttpStatus.SERVICE_UNAVAILABLE) {
            body.put("error", "temporarily_unavailable");
        } else if (status.is5xxServerError()) {
            body.put("error", "server_error");
        } else if (status == HttpStatus.NOT_FOUND) {
            body.put("error", "not_found");
        } else {
            body.put("error", "invalid_request");
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }

    private static HttpStatus status(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (code instanceof Integer value) {
            HttpStatus resolved = HttpStatus.resolve(value);
            if (resolved != null) {
                return resolved;
            }
        }
        return HttpStatus.INTERNAL_SERVER_ERROR;
    }
}
