package dev.ostiary.console;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import dev.ostiary.problem.InvalidRequestException;
import dev.ostiary.problem.NotFoundException;

/**
 * The console's pages' shared model (the operator's name) and their errors. They answer a missing
 * thing or a bad parameter with the server's error page and its
 * status (404, 400), never a stack trace; the admin API's JSON problems ({@code problem/ApiProblems})
 * are for its own packages.
 */
@ControllerAdvice(basePackages = "dev.ostiary.console")
class ConsoleProblems {

    /** The signed-in operator's name, for the top bar of every console page. */
    @org.springframework.web.bind.annotation.ModelAttribute("operator")
    String operator(java.security.Principal principal) {
        return principal == null ? "" : principal.getName();
    }

    /**
     * What a service refused, for the page that shows it: each field and the service's own words (the
     * same the admin API answers), never an exception's class or trace.
     */
    static String describe(InvalidRequestException refused) {
        return String.join("; ", refused.problems().stream()
                .map(problem -> problem.field() + ": " + problem.message()).toList());
    }

    @ExceptionHandler(NotFoundException.class)
    void notFound(HttpServletResponse response) throws IOException {
        response.sendError(HttpServletResponse.SC_NOT_FOUND);
    }

    /**
     * Another request changed the same row at the same moment (an optimistic check, a lock timeout):
     * 409, so the operator reloads and sees what happened, rather than a 503 that blames the database.
     */
    @ExceptionHandler(org.springframework.dao.ConcurrencyFailureException.class)
    void conflict(HttpServletResponse response) throws IOException {
        response.sendError(HttpServletResponse.SC_CONFLICT);
    }

    @ExceptionHandler({ InvalidRequestException.class, MethodArgumentTypeMismatchException.class,
            MissingServletRequestParameterException.class })
    void badRequest(HttpServletResponse response) throws IOException {
        response.sendError(HttpServletResponse.SC_BAD_REQUEST);
    }
}
