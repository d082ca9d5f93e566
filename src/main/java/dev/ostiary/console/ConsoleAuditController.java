package dev.ostiary.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

import dev.ostiary.audit.AuditEventType;
import dev.ostiary.audit.AuditEvents;
import dev.ostiary.audit.AuditEvents.StoredEvent;
import dev.ostiary.problem.InvalidRequestException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's audit log: the events newest first, filtered by type, user, client, address and a
 * time range (UTC, as every console time), 50 a page by keyset ({@link AuditEvents}, which the admin
 * API reads too), and the same selection exported as JSON lines or CSV, streamed from a cursor.
 */
@Controller
@RequestMapping(ConsoleAuditController.PATH)
class ConsoleAuditController {

    static final String PATH = "/admin/audit";
    static final int PAGE_SIZE = 50;
    /** An export holds at most this many events, newest first: narrow the filter for older ones. */
    static final int EXPORT_LIMIT = 100_000;

    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final AuditEvents events;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();
    private final List<String> types = Arrays.stream(AuditEventType.values()).map(AuditEventType::eventName).sorted()
            .toList();

    ConsoleAuditController(AuditEvents events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /** The filter as the form sends it, and back into the links. */
    record Selection(String type, String user, String client, String address, String from, String to) {

        AuditEvents.Filter filter() {
            return new AuditEvents.Filter(type, client, user, address, instant("from", from), instant("to", to));
        }

        UriComponentsBuilder into(UriComponentsBuilder link) {
            Map<String, String> values = new LinkedHashMap<>();
            values.put("type", type);
            values.put("user", user);
            values.put("client", client);
            values.put("address", address);
            values.put("from", from);
            values.put("to", to);
            values.forEach((name, value) -> {
                if (value != null && !value.isBlank()) {
                    link.queryParam(name, value);
                }
            });
            return link;
        }

        /** A {@code datetime-local} value (HTML §2.3.5.5) or an ISO instant, read as UTC. */
        private static Instant instant(String field, String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            try {
                return text.strip().endsWith("Z") ? Instant.parse(text.strip())
                        : LocalDateTime.parse(text.strip()).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new InvalidRequestException(field, "is a date and time such as 2026-12-01T09:30 (UTC)");
            }
        }
    }

    @GetMapping
    String log(@RequestParam(defaultValue = "") String type, @RequestParam(defaultValue = "") String user,
            @RequestParam(defaultValue = "") String client, @RequestParam(defaultValue = "") String address,
            @RequestParam(defaultValue = "") String from, @RequestParam(defaultValue = "") String to,
            @RequestParam(required = false) String after, Model model) {
        Selection selection = new Selection(type, user, client, address, from, to);
        AuditEvents.Cursor cursor = null;
        if (after != null && !after.isBlank()) {
            try {
                cursor = AuditEvents.Cursor.parse(after);
            } catch (IllegalArgumentException | java.time.DateTimeException | ArithmeticException e) {
                throw new InvalidRequestException("after", "is not a page of this log");
            }
        }
        AuditEvents.Slice slice = events.slice(selection.filter(), cursor, PAGE_SIZE);
        model.addAttribute("selection", selection);
        model.addAttribute("types", types);
        model.addAttribute("slice", slice);
        model.addAttribute("firstPage", cursor == null);
        model.addAttribute("nextUrl", slice.next() == null ? null
                : selection.into(UriComponentsBuilder.fromPath(PATH)).queryParam("after", slice.next().token())
                        .encode().toUriString());
        model.addAttribute("firstUrl", selection.into(UriComponentsBuilder.fromPath(PATH)).encode().toUriString());
        model.addAttribute("jsonUrl", selection.into(UriComponentsBuilder.fromPath(PATH + "/export"))
                .queryParam("format", "jsonl").encode().toUriString());
        model.addAttribute("csvUrl", selection.into(UriComponentsBuilder.fromPath(PATH + "/export"))
                .queryParam("format", "csv").encode().toUriString());
        model.addAttribute("exportLimit", EXPORT_LIMIT);
        model.addAttribute("section", "audit");
        return "console/audit";
    }

    @GetMapping("/export")
    void export(@RequestParam String format, @RequestParam(defaultValue = "") String type,
            @RequestParam(defaultValue = "") String user, @RequestParam(defaultValue = "") String client,
            @RequestParam(defaultValue = "") String address, @RequestParam(defaultValue = "") String from,
            @RequestParam(defaultValue = "") String to, HttpServletResponse response) throws IOException {
        boolean csv = switch (format) {
            case "csv" -> true;
            case "jsonl" -> false;
            default -> throw new InvalidRequestException("format", "is jsonl or csv");
        };
        AuditEvents.Filter filter = new Selection(type, user, client, address, from, to).filter();
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        // text/csv (RFC 4180), JSON Lines (jsonlines.org): one event a line
        response.setContentType(csv ? "text/csv;charset=UTF-8" : "application/jsonl;charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"ostiary-audit-"
                + FILE_TIME.format(clock.instant()) + (csv ? ".csv\"" : ".jsonl\""));
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        Writer out = response.getWriter();
        if (csv) {
            out.write("occurred_at,type,client_id,username,source_ip,details\r\n");
        }
        events.stream(filter, EXPORT_LIMIT, event -> {
            try {
                out.write(csv ? csvLine(event) : jsonLine(event));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        out.flush();
    }

    private String jsonLine(StoredEvent event) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", event.id());
        line.put("occurredAt", event.occurredAt().toInstant().toString());
        line.put("type", event.type());
        line.put("clientId", event.clientId());
        line.put("username", event.username());
        line.put("sourceIp", event.sourceIp());
        line.put("details", event.details());
        return json.writeValueAsString(line) + "\n";
    }

    private String csvLine(StoredEvent event) {
        return String.join(",", cell(event.occurredAt().toInstant().toString()), cell(event.type()),
                cell(event.clientId()), cell(event.username()), cell(event.sourceIp()),
                cell(json.writeValueAsString(event.details()))) + "\r\n";
    }

    /**
     * One CSV field (RFC 4180 §2): quoted when it holds a quote, comma or line break. A value a
     * spreadsheet would run as a formula (a client name or user name an attacker chose, starting with
     * = + - @ or a tab) gets a leading apostrophe, as OWASP's CSV injection advice says.
     */
    static String cell(String value) {
        if (value == null) {
            return "";
        }
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.contains("\"") || safe.contains(",") || safe.contains("\n") || safe.contains("\r")) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }
}
