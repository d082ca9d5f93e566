package dev.ostiary.problem;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Errors of the admin API as RFC 9457 problem details ({@code application/problem+json}): a
 * validation failure names every bad field under {@code errors}.
 */
@RestControllerAdvice(basePackages = { "dev.ostiary.client", "dev.ostiary.user", "dev.ostiary.scope",
        "dev.ostiary.keys", "dev.ostiary.audit", "dev.ostiary.registration", "dev.ostiary.resource" })
class ApiProblems {

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidRequestException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The request has " + e.problems().size() + " invalid field(s)");
        problem.setTitle("Invalid request");
        problem.setType(URI.create("https://ostiary.dev/problems/invalid-request"));
        List<Map<String, String>> errors = e.problems().stream()
                .map((FieldProblem p) -> Map.of("field", p.field(), "message", p.message())).toList();
        problem.setProperty("errors", errors);
        return respond(problem);
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No such " + e.getMessage());
        problem.setTitle("Not found");
        return respond(problem);
    }

    /** Another request changed the same row at the same moment: 409, retry after reading it again. */
    @ExceptionHandler(org.springframework.dao.ConcurrencyFailureException.class)
    ResponseEntity<ProblemDetail> conflict(Exception e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "Another request changed this at the same moment; read it again and retry");
        problem.setTitle("Conflict");
        return respond(problem);
    }

    @ExceptionHandler({ HttpMessageNotReadableException.class, MethodArgumentTypeMismatchException.class })
    ResponseEntity<ProblemDetail> unreadable(Exception e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The request body or a parameter could not be read");
        problem.setTitle("Malformed request");
        return respond(problem);
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
