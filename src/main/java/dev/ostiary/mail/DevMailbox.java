package dev.ostiary.mail;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The mails a demo server without an SMTP host would have sent, newest first, in memory only: so a
 * person trying the demo can follow a reset or verification link ({@code /dev/mail}). Bounded, and
 * never present outside the demo profile.
 */
public class DevMailbox {

    /** A kept mail and when it was "sent". */
    public record Kept(Instant at, OutgoingMail mail) {
    }

    private final int capacity;
    private final Deque<Kept> mails = new ArrayDeque<>();

    public DevMailbox(int capacity) {
        this.capacity = Math.max(1, capacity);
    }

    public synchronized void keep(Instant at, OutgoingMail mail) {
        mails.addFirst(new Kept(at, mail));
        while (mails.size() > capacity) {
            mails.removeLast();
        }
    }

    public synchronized List<Kept> newestFirst() {
        return List.copyOf(mails);
    }
}
