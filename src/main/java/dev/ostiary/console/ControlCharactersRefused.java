package dev.ostiary.console;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * On the console's chain: a parameter holding a control character other than tab and line breaks is a
 * 400 before any page reads it. Every console page hands what the operator typed to PostgreSQL, whose
 * text cannot hold NUL (an error, a 500, on whichever query met it first); no form field needs one.
 * The services keep their own checks for their other callers.
 */
final class ControlCharactersRefused extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        for (String[] values : request.getParameterMap().values()) {
            for (String value : values) {
                if (value.chars().anyMatch(ControlCharactersRefused::refused)) {
                    response.sendError(HttpServletResponse.SC_BAD_REQUEST);
                    return;
                }
            }
        }
        chain.doFilter(request, response);
    }

    private static boolean refused(int c) {
        return Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r';
    }
}
