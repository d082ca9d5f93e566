import java.net.CookieHandler;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Full authorization-code round trips with PKCE S256, driven like a browser would: authorization
 * request, login form, consent form, redirect to the client's callback, code redemption at the token
 * endpoint. Works against Ostiary and Keycloak alike (it follows redirects and fills whatever login or
 * consent form a page shows), so both servers do the same work per round trip.
 *
 * Every round trip uses a fresh cookie jar (a new browser session) and a user that has not consented
 * yet (users {@code <prefix><n>} from --first-user on, all with the same password), so the consent
 * page is shown every time; a user that already consented would skip it and make the round trip cheaper.
 *
 * Run with the JDK's single-file source launcher, no dependencies:
 * <pre>java bench/AuthCodeRoundTrip.java --base http://127.0.0.1:9000 --authorize /oauth2/authorize
 *      --token /oauth2/token --users rt --first-user 0 --pool 8000 --threads 16 --warmup 10 --duration 20</pre>
 * Prints one line starting with {@code BENCH} (same keys as the wrk scripts' report.lua).
 */
public class AuthCodeRoundTrip {

    static final String REDIRECT_URI = "http://127.0.0.1:18999/callback";
    static final Pattern FORM = Pattern.compile("<form\\b([^>]*)>(.*?)</form>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    static final Pattern INPUT = Pattern.compile("<input\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
    static final Pattern BUTTON = Pattern.compile("<button\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
    static final Pattern ATTR = Pattern.compile("([a-zA-Z_:-]+)(?:\\s*=\\s*(\"[^\"]*\"|'[^']*'|[^\\s>]+))?");
    static final SecureRandom RANDOM = new SecureRandom();

    final String base, authorizePath, tokenPath, clientId, clientSecret, scope, userPrefix, password;
    final int pool;
    final AtomicInteger nextUser;
    final AtomicLong measured = new AtomicLong(), failures = new AtomicLong(), consents = new AtomicLong(),
            requests = new AtomicLong(), warmupDone = new AtomicLong();
    final ConcurrentLinkedQueue<Long> latenciesNanos = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> failureSamples = new ConcurrentLinkedQueue<>();
    /** Round trips by number of HTTP requests: a detour (e.g. a second login) shows up here. */
    final java.util.concurrent.ConcurrentHashMap<Integer, AtomicLong> requestsHistogram = new java.util.concurrent.ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> detourSamples = new ConcurrentLinkedQueue<>();
    volatile long measureStart, measureEnd;

    AuthCodeRoundTrip(Map<String, String> a) {
        base = a.getOrDefault("base", "http://127.0.0.1:9000");
        authorizePath = a.getOrDefault("authorize", "/oauth2/authorize");
        tokenPath = a.getOrDefault("token", "/oauth2/token");
        clientId = a.getOrDefault("client", "web-app");
        clientSecret = a.getOrDefault("secret", "web-secret");
        scope = a.getOrDefault("scope", "openid read");
        userPrefix = a.getOrDefault("users", "rt");
        password = a.getOrDefault("password", "alice-pw");
        pool = Integer.parseInt(a.getOrDefault("pool", "8000"));
        nextUser = new AtomicInteger(Integer.parseInt(a.getOrDefault("first-user", "0")));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        AuthCodeRoundTrip bench = new AuthCodeRoundTrip(a);
        int threads = Integer.parseInt(a.getOrDefault("threads", "16"));
        long warmup = Long.parseLong(a.getOrDefault("warmup", "10"));
        long duration = Long.parseLong(a.getOrDefault("duration", "20"));
        if ("1".equals(a.get("once"))) {   // smoke check: one round trip, print what happened
            Worker w = bench.new Worker();
            System.out.println(w.roundTrip(true));
            return;
        }
        long now = System.nanoTime();
        bench.measureStart = now + Duration.ofSeconds(warmup).toNanos();
        bench.measureEnd = bench.measureStart + Duration.ofSeconds(duration).toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Worker w = bench.new Worker();
            Thread t = new Thread(w::run, "rt-" + i);
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            t.join();   // every worker stops at measureEnd (bounded: each request has a 10 s timeout)
        }
        bench.report(duration);
    }

    void report(long duration) {
        List<Long> l = new ArrayList<>(latenciesNanos);
        Collections.sort(l);
        long n = measured.get();
        System.out.printf(java.util.Locale.ROOT,
                "BENCH requests=%d duration_s=%d rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d errors=0"
                        + " http_requests_per_roundtrip=%.1f consent_shown=%d warmup_roundtrips=%d next_user=%d%n",
                n, duration, n / (double) duration, pct(l, 50), pct(l, 90), pct(l, 99),
                l.isEmpty() ? 0 : l.get(l.size() - 1) / 1e6, failures.get(),
                requestsHistogram.isEmpty() ? 0 : requests.get() / (double) requestsHistogram.values().stream().mapToLong(AtomicLong::get).sum(),
                consents.get(), warmupDone.get(),
                nextUser.get());
        System.out.println("round trips by HTTP requests: " + new java.util.TreeMap<>(requestsHistogram));
        failureSamples.stream().limit(5).forEach(f -> System.out.println("failure: " + f));
        detourSamples.stream().limit(3).forEach(f -> System.out.println("detour:\n" + f));
        if (nextUser.get() > pool) {
            System.out.println("warning: user pool exhausted, some users had consented already");
        }
    }

    static double pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, i)) / 1e6;
    }

    /** One simulated browser at a time per worker; its own client, so connections are reused like wrk's. */
    class Worker {
        final CookieJar cookies = new CookieJar();
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).cookieHandler(cookies)
                .connectTimeout(Duration.ofSeconds(5)).build();

        void run() {
            while (System.nanoTime() < measureEnd) {
                long t0 = System.nanoTime();
                String error;
                try {
                    error = roundTrip(false);
                } catch (Exception e) {
                    error = e.toString();
                }
                long t1 = System.nanoTime();
                boolean inWindow = t1 >= measureStart && t1 < measureEnd;
                if (error != null) {
                    if (inWindow) {
                        failures.incrementAndGet();
                        failureSamples.add(error);
                    }
                } else if (inWindow) {
                    measured.incrementAndGet();
                    latenciesNanos.add(t1 - t0);
                } else if (t1 < measureStart) {
                    warmupDone.incrementAndGet();
                }
            }
        }

        /** Returns null on success, else what went wrong (verbose: a trace of the steps). */
        String roundTrip(boolean verbose) throws Exception {
            int before = requestsDone;
            String result = roundTrip0(verbose);
            int n = requestsDone - before;
            requestsHistogram.computeIfAbsent(n, k -> new AtomicLong()).incrementAndGet();
            if (result == null && n > 7 && detourSamples.size() < 3) {
                detourSamples.add(lastTrace.toString());
            }
            return result;
        }

        int requestsDone;
        StringBuilder lastTrace = new StringBuilder();

        String roundTrip0(boolean verbose) throws Exception {
            cookies.clear();   // a new browser session: login is part of every round trip
            int userIndex = nextUser.getAndIncrement() % pool;
            String user = userPrefix + userIndex;
            String verifier = b64(randomBytes(32));
            String challenge = b64(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
            String state = b64(randomBytes(12));
            URI next = URI.create(base + authorizePath + "?response_type=code&client_id=" + enc(clientId)
                    + "&redirect_uri=" + enc(REDIRECT_URI) + "&scope=" + enc(scope) + "&state=" + enc(state)
                    + "&code_challenge=" + challenge + "&code_challenge_method=S256");
            String postBody = null;
            StringBuilder trace = new StringBuilder();
            lastTrace = trace;
            boolean consentShown = false;
            String callback = null;
            for (int step = 0; step < 12 && callback == null; step++) {
                HttpRequest.Builder rb = HttpRequest.newBuilder(next).timeout(Duration.ofSeconds(10))
                        .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
                if (postBody != null) {
                    rb.header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(postBody));
                }
                HttpResponse<String> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
                requests.incrementAndGet();
                requestsDone++;
                trace.append(postBody == null ? "GET " : "POST ").append(next).append(" -> ").append(r.statusCode())
                        .append(r.statusCode() / 100 == 3 ? " " + r.headers().firstValue("Location").orElse("") : "").append('\n');
                postBody = null;
                int status = r.statusCode();
                if (status >= 300 && status < 400) {
                    String location = r.headers().firstValue("Location").orElse("");
                    URI target = next.resolve(location);
                    if (target.toString().startsWith(REDIRECT_URI)) {
                        callback = target.toString();
                    } else {
                        next = target;
                    }
                    continue;
                }
                if (status != 200) {
                    return trace + "unexpected status " + status + " at " + next;
                }
                String html = r.body();
                Form form = Form.find(html, true);
                if (form != null) {   // a login page
                    form.fields.put("username", List.of(user));
                    form.fields.put("password", List.of(password));
                } else {
                    form = Form.find(html, false);
                    if (form == null) {
                        return trace + "no login or consent form at " + next;
                    }
                    consentShown = true;
                    if (form.submitNameValue != null) {   // Keycloak's consent form: the "Yes" button
                        form.fields.put(form.submitNameValue[0], List.of(form.submitNameValue[1]));
                    }
                }
                next = next.resolve(form.action);
                postBody = form.encoded();
            }
            if (callback == null) {
                return trace + "no redirect to the callback";
            }
            Map<String, String> q = query(URI.create(callback).getRawQuery());
            if (!state.equals(q.get("state")) || q.get("code") == null) {
                return trace + "bad callback " + callback;
            }
            HttpRequest token = HttpRequest.newBuilder(URI.create(base + tokenPath)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            (clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&code=" + enc(q.get("code"))
                            + "&redirect_uri=" + enc(REDIRECT_URI) + "&code_verifier=" + verifier))
                    .build();
            HttpResponse<String> tr = http.send(token, HttpResponse.BodyHandlers.ofString());
            requests.incrementAndGet();
            requestsDone++;
            if (tr.statusCode() != 200 || !tr.body().contains("\"access_token\"")) {
                return trace + "token endpoint answered " + tr.statusCode() + " " + tr.body();
            }
            if (!consentShown) {
                return trace + "consent page was not shown for " + user;
            }
            consents.incrementAndGet();
            if (verbose) {
                trace.append("POST ").append(base).append(tokenPath).append(" -> 200 ")
                        .append(tr.body(), 0, Math.min(80, tr.body().length())).append("…\nOK user=").append(user);
                return trace.toString();
            }
            return null;
        }
    }

    /**
     * A browser's cookie jar, reduced to what one server on loopback needs. Not java.net.CookieManager:
     * it withholds {@code Secure} cookies from http URLs, while browsers treat http://127.0.0.1 as a
     * secure context and send them (Keycloak marks its login cookies Secure even over http), and it
     * sends RFC 2965 {@code $Version} syntax for the {@code Version=1} cookies Keycloak sets.
     */
    static final class CookieJar extends CookieHandler {
        private final Map<String, String> cookies = new LinkedHashMap<>();

        void clear() {
            cookies.clear();
        }

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) {
            if (cookies.isEmpty()) {
                return Map.of();
            }
            StringBuilder sb = new StringBuilder();
            cookies.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : "; ").append(k).append('=').append(v));
            return Map.of("Cookie", List.of(sb.toString()));
        }

        @Override
        public void put(URI uri, Map<String, List<String>> responseHeaders) {
            responseHeaders.forEach((header, values) -> {
                if (header != null && header.equalsIgnoreCase("Set-Cookie")) {
                    for (String v : values) {
                        String[] parts = v.split(";");
                        int eq = parts[0].indexOf('=');
                        if (eq <= 0) {
                            continue;
                        }
                        String name = parts[0].substring(0, eq).trim();
                        String value = parts[0].substring(eq + 1).trim();
                        boolean expired = value.isEmpty();
                        for (String attr : parts) {
                            String a = attr.trim().toLowerCase();
                            expired |= a.equals("max-age=0") || a.startsWith("expires=thu, 01 jan 1970")
                                    || a.startsWith("expires=thu, 01-jan-1970");
                        }
                        if (expired) {
                            cookies.remove(name);
                        } else {
                            cookies.put(name, value);
                        }
                    }
                }
            });
        }
    }

    /** The fields a browser would submit from a form: hidden and text inputs, ticked and enabled checkboxes. */
    static final class Form {
        String action;
        final Map<String, List<String>> fields = new LinkedHashMap<>();
        String[] submitNameValue;

        /** login: the form with a password field; otherwise: the consent form (a form posting to the authorization endpoint or Keycloak's consent action). */
        static Form find(String html, boolean login) {
            Matcher m = FORM.matcher(html);
            while (m.find()) {
                Map<String, String> formAttrs = attrs(m.group(1));
                String body = m.group(2);
                String action = unescape(formAttrs.getOrDefault("action", ""));
                boolean hasPassword = body.matches("(?s).*type=\"password\".*");
                boolean isConsent = action.contains("/oauth2/authorize") && "consent-form".equals(formAttrs.get("id"))
                        || action.contains("login-actions/consent");
                if (login ? !hasPassword : !isConsent) {
                    continue;
                }
                Form f = new Form();
                f.action = action;
                Matcher im = INPUT.matcher(body);
                while (im.find()) {
                    Map<String, String> in = attrs(im.group(1));
                    String name = in.get("name");
                    String type = in.getOrDefault("type", "text").toLowerCase();
                    if (name == null || in.containsKey("disabled")) {
                        continue;
                    }
                    String value = unescape(in.getOrDefault("value", ""));
                    switch (type) {
                        case "checkbox", "radio" -> {
                            if (in.containsKey("checked")) {
                                f.fields.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                            }
                        }
                        case "submit" -> {
                            if (f.submitNameValue == null && !name.equals("cancel")) {
                                f.submitNameValue = new String[] {name, value};
                            }
                        }
                        default -> f.fields.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                    }
                }
                // a submit <button name=… value=…> counts like an <input type=submit> (the one clicked: not "cancel")
                Matcher bm = BUTTON.matcher(body);
                while (f.submitNameValue == null && bm.find()) {
                    Map<String, String> b = attrs(bm.group(1));
                    String type = b.getOrDefault("type", "submit").toLowerCase();
                    if (b.get("name") != null && type.equals("submit") && !b.get("name").equals("cancel")) {
                        f.submitNameValue = new String[] {b.get("name"), unescape(b.getOrDefault("value", ""))};
                    }
                }
                return f;
            }
            return null;
        }

        String encoded() {
            StringBuilder sb = new StringBuilder();
            fields.forEach((k, vs) -> vs.forEach(v -> sb.append(sb.isEmpty() ? "" : "&").append(enc(k)).append('=').append(enc(v))));
            return sb.toString();
        }
    }

    static Map<String, String> attrs(String s) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher am = ATTR.matcher(s);
        while (am.find()) {
            String v = am.group(2);
            if (v != null && (v.startsWith("\"") || v.startsWith("'"))) {
                v = v.substring(1, v.length() - 1);
            }
            m.put(am.group(1).toLowerCase(), v == null ? "" : v);
        }
        return m;
    }

    static String unescape(String s) {
        return s.replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">");
    }

    static Map<String, String> query(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw != null) {
            for (String p : raw.split("&")) {
                int i = p.indexOf('=');
                if (i > 0) {
                    m.put(URLDecoder.decode(p.substring(0, i), StandardCharsets.UTF_8), URLDecoder.decode(p.substring(i + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return m;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
