package dev.ostiary.audit;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.ostiary.audit.AuditEvents.StoredEvent;

/**
 * The audit trail for operators: newest first, filtered by type, client or user, a page at a time
 * ({@link AuditEvents}, which the console reads too).
 */
@RestController
class AuditQueryController {

    private final AuditEvents events;

    AuditQueryController(AuditEvents events) {
        this.events = events;
    }

    /** A page of events. */
    record Page(List<StoredEvent> items, int page, int size, long total) {
    }

    @GetMapping("/admin/api/audit-events")
    Page events(@RequestParam(required = false) String type, @RequestParam(required = false) String clientId,
            @RequestParam(required = false) String username, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        int pageSize = Math.max(1, Math.min(size, 500));
        int pageNumber = Math.max(0, page);
        AuditEvents.Filter filter = new AuditEvents.Filter(type, clientId, username, null, null, null);
        long total = events.count(filter);
        return new Page(events.page(filter, (long) pageNumber * pageSize, pageSize), pageNumber, pageSize,
                total);
    }
}
