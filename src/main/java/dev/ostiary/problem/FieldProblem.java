package dev.ostiary.problem;

/** One thing wrong with a request: which field (JSON path) and why. */
public record FieldProblem(String field, String message) {
}
