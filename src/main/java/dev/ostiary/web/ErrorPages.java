package dev.ostiary.web;

/** What a filter or handler can tell the error page before it sends an error status. */
public final class ErrorPages {

    /**
     * Request attribute: the message key prefix ({@code <prefix>.heading}, {@code <prefix>.message}) of
     * the page's texts, instead of the status's generic ones; for a refusal that should say why.
     */
    public static final String TEXTS = ErrorPages.class.getName() + ".texts";

    private ErrorPages() {
    }
}
