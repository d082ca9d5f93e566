package dev.ostiary.console;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

import dev.ostiary.problem.ControlCharacters;

/**
 * On the console's chain: a parameter holding a control character other than tab and line breaks is a
 * 400 before any page reads it. Every console page hands what the operator typed to PostgreSQL, whose
 * text cannot hold NUL (an error, a 500, on whichever query met it first); no form field needs one.
 * Form fields may hold tab and line breaks (a list of redirect URIs). The services keep their own
 * {@link ControlCharacters} checks for their other callers (the admin API).
 */
final class ControlCharactersRefused extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        for (String[] values : request.getParameterMap().values()) {
            for (String value : values) {
                if (ControlCharacters.in(value, true)) {
                    response.sendError(HttpServletResponse.SC_BAD_REQUEST);
                    return;
                }
            }
        }
        chain.doFilter(request, response);
    }
}
