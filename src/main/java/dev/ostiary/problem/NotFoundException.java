package dev.ostiary.problem;

/** The named thing does not exist (or is not the caller's to see). */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String what) {
        super(what);
    }
}
