import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A text flame-graph summary of a JFR recording: the hottest methods by self time (top frame) and by
 * total time (anywhere on the stack, once per sample), and the share of samples whose stack passes
 * through a few areas we care about (signing, JSON, database, Spring Security's filter chain, ...).
 *
 * It uses JDK 25's CPU-time sampler ({@code jdk.CPUTimeSample}, enabled by run.sh when profiling) when
 * the recording has it: it samples threads by CPU time consumed, native code included, so the native
 * signing provider's time shows up where it belongs. Otherwise it falls back to
 * {@code jdk.ExecutionSample}, which only sees threads running Java code (native time goes to
 * {@code jdk.NativeMethodSample}, mixed with threads blocked in socket reads, so it is not CPU).
 *
 * <pre>java bench/JfrTop.java recording.jfr [top]</pre>
 */
public class JfrTop {

    /** Areas, matched by prefix against every frame of a sample; each area counts once per sample. */
    static final Map<String, List<String>> AREAS = new LinkedHashMap<>();
    static {
        AREAS.put("JWS signing (provider sign, native in Corretto)", List.of("java.security.Signature.sign",
                "com.amazon.corretto.crypto.provider.EvpSignature.sign"));
        AREAS.put("JWS signature verification", List.of("java.security.Signature.verify",
                "com.amazon.corretto.crypto.provider.EvpSignature.verify"));
        AREAS.put("JWT encode (NimbusJwtEncoder: claims, JSON, signing)", List.of("org.springframework.security.oauth2.jwt.NimbusJwtEncoder.encode"));
        AREAS.put("JWT decode (NimbusJwtDecoder: parse, verify, validate)", List.of("org.springframework.security.oauth2.jwt.NimbusJwtDecoder.decode"));
        AREAS.put("JSON (Jackson, nimbus JSON)", List.of("tools.jackson.", "com.fasterxml.jackson.", "com.nimbusds.jose.shaded.gson.",
                "com.nimbusds.jose.util.JSONObjectUtils"));
        AREAS.put("JDBC: PostgreSQL driver, Hikari", List.of("org.postgresql.", "com.zaxxer.hikari."));
        AREAS.put("Hibernate / Spring Data JPA", List.of("org.hibernate.", "org.springframework.data."));
        AREAS.put("Spring transactions", List.of("org.springframework.transaction."));
        AREAS.put("Micrometer observations and meters", List.of("io.micrometer."));
        AREAS.put("client secret check (HMAC)", List.of("dev.ostiary.client.ClientSecretHasher.matches"));
        AREAS.put("Argon2 (user password)", List.of("org.bouncycastle.crypto.generators.Argon2BytesGenerator"));
        AREAS.put("Thymeleaf templates", List.of("org.thymeleaf."));
        AREAS.put("HTTP session", List.of("org.apache.catalina.session.", "org.springframework.security.web.context.HttpSessionSecurityContextRepository"));
        AREAS.put("Spring Security filter chain (everything inside it)", List.of("org.springframework.security.web.FilterChainProxy.doFilter"));
        AREAS.put("token endpoint (OAuth2TokenEndpointFilter)", List.of("org.springframework.security.oauth2.server.authorization.web.OAuth2TokenEndpointFilter.doFilterInternal"));
        AREAS.put("introspection endpoint filter", List.of("org.springframework.security.oauth2.server.authorization.web.OAuth2TokenIntrospectionEndpointFilter.doFilterInternal"));
        AREAS.put("client authentication filter", List.of("org.springframework.security.oauth2.server.authorization.web.OAuth2ClientAuthenticationFilter.doFilterInternal"));
        AREAS.put("Tomcat connector (HTTP parsing, NIO)", List.of("org.apache.coyote.", "org.apache.tomcat.util.net.", "sun.nio.ch."));
        AREAS.put("logging (logback, slf4j)", List.of("ch.qos.logback.", "org.slf4j."));
        AREAS.put("Spring events", List.of("org.springframework.context.event."));
        AREAS.put("SecureRandom / UUID", List.of("java.security.SecureRandom.nextBytes", "java.util.UUID.randomUUID"));
        AREAS.put("Ostiary's own code (dev.ostiary)", List.of("dev.ostiary."));
    }

    public static void main(String[] args) throws Exception {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        List<RecordedEvent> events = RecordingFile.readAllEvents(Path.of(args[0]));
        boolean cpuTime = events.stream().anyMatch(e -> e.getEventType().getName().equals("jdk.CPUTimeSample"));
        String sampleType = cpuTime ? "jdk.CPUTimeSample" : "jdk.ExecutionSample";

        Map<String, Integer> self = new HashMap<>(), total = new HashMap<>(), threads = new HashMap<>();
        Map<String, Integer> areas = new LinkedHashMap<>();
        int samples = 0, lost = 0;
        long gcNanos = 0;
        double jvmCpu = 0;
        int cpuLoadEvents = 0;
        Instant first = null, last = null;
        for (RecordedEvent e : events) {
            String type = e.getEventType().getName();
            first = first == null || e.getStartTime().isBefore(first) ? e.getStartTime() : first;
            last = last == null || e.getEndTime().isAfter(last) ? e.getEndTime() : last;
            switch (type) {
                case "jdk.CPUTimeSamplesLost" -> lost += e.getInt("lostSamples");
                case "jdk.GCCPUTime" -> gcNanos += e.getLong("userTime") + e.getLong("systemTime");
                case "jdk.CPULoad" -> {
                    cpuLoadEvents++;
                    jvmCpu += e.getFloat("jvmUser") + e.getFloat("jvmSystem");
                }
                default -> {
                }
            }
            if (!type.equals(sampleType)) {
                continue;
            }
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            String thread = e.getThread(cpuTime ? "eventThread" : "sampledThread") == null ? "?"
                    : String.valueOf(e.getThread(cpuTime ? "eventThread" : "sampledThread").getJavaName());
            threads.merge(thread.replaceAll("[-#]?\\d+$", "-N"), 1, Integer::sum);
            List<RecordedFrame> frames = st.getFrames();
            self.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            Set<String> seenAreas = new HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (seen.add(n)) {
                    total.merge(n, 1, Integer::sum);
                }
                for (var area : AREAS.entrySet()) {
                    if (!seenAreas.contains(area.getKey()) && area.getValue().stream().anyMatch(n::startsWith)) {
                        seenAreas.add(area.getKey());
                        areas.merge(area.getKey(), 1, Integer::sum);
                    }
                }
            }
        }
        final int n = Math.max(1, samples);
        double seconds = first == null ? 0 : Duration.between(first, last).toMillis() / 1000.0;
        System.out.printf(Locale.ROOT, "%s: %d stack samples of type %s over %.1f s%s%n", args[0], samples, sampleType,
                seconds, cpuTime ? " (CPU-time sampling: native code included, " + lost + " samples lost)" : "");
        if (cpuLoadEvents > 0) {
            System.out.printf(Locale.ROOT, "JVM CPU (jdk.CPULoad mean): %.0f%% of one core; GC threads (jdk.GCCPUTime): %.0f%% of one core%n",
                    100 * jvmCpu / cpuLoadEvents * Runtime.getRuntime().availableProcessors(),
                    seconds > 0 ? 100 * gcNanos / 1e9 / seconds : 0);
        }
        System.out.println("\n== share of samples whose stack passes through (areas overlap; stacks deeper than the JFR stack depth are cut at the root) ==");
        areas.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(en -> System.out.printf(Locale.ROOT, "%6.1f%%  %s%n", 100.0 * en.getValue() / n, en.getKey()));
        System.out.println("\n== top methods by self time (top frame) ==");
        print(self, n, top);
        System.out.println("\n== top methods by total time (on the stack) ==");
        print(total, n, top);
        System.out.println("\n== samples per thread (numbers folded) ==");
        print(threads, n, 8);
    }

    static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    static void print(Map<String, Integer> counts, int n, int top) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(en -> System.out.printf(Locale.ROOT, "%6.1f%%  %s%n", 100.0 * en.getValue() / n, en.getKey()));
    }
}
