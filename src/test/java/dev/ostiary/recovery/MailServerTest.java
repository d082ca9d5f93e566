package dev.ostiary.recovery;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.ostiary.support.ServerTest;

/**
 * The server with a real SMTP server in the same JVM (GreenMail on a free port): mails are read
 * back as a person's mail program would, and their links followed. One GreenMail for every test
 * class, so their server contexts are one (Spring caches a context by its properties).
 */
public abstract class MailServerTest extends ServerTest {

    protected static final GreenMail SMTP = start();

    private static GreenMail start() {
        GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        mail.start();
        Runtime.getRuntime().addShutdownHook(new Thread(mail::stop));
        return mail;
    }

    @DynamicPropertySource
    static void smtp(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
        // one worker: requests are handled in order, so "no mail for X" is known once Y's mail is in
        registry.add("ostiary.recovery.mail-workers", () -> "1");
        // every test calls from 127.0.0.1; the per-source limit has a test of its own
        registry.add("ostiary.recovery.mails-per-source", () -> "100000");
    }

    /** A user of the test's own with a verified address {@code <name>@example.test}; password "password". */
    protected String userWithEmail() {
        String name = newUser("USER");
        jdbc.sql("update app_user set email = ?, email_verified = true where username = ?")
                .params(name + "@example.test", name).update();
        return name;
    }

    /** The mails received for {@code address} so far. */
    protected static List<MimeMessage> mailsTo(String address) {
        return Arrays.stream(SMTP.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getRecipients(Message.RecipientType.TO))
                        .anyMatch(a -> a.toString().equalsIgnoreCase(address));
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    /** Waits for the {@code n}-th mail to {@code address}. */
    protected static MimeMessage awaitMail(String address, int n) {
        await().atMost(Duration.ofSeconds(20)).until(() -> mailsTo(address).size() >= n);
        return mailsTo(address).get(n - 1);
    }

    protected static String body(MimeMessage mail) {
        return GreenMailUtil.getBody(mail).replace("=\r\n", "").replace("=3D", "=");
    }

    /** The one link with a token in the mail. */
    protected static String link(MimeMessage mail) {
        Matcher matcher = Pattern.compile("https?://\\S+\\?token=[A-Za-z0-9_-]{43}").matcher(body(mail));
        if (!matcher.find()) {
            throw new AssertionError("no link in: " + body(mail));
        }
        return matcher.group();
    }

    protected static String token(String link) {
        return link.substring(link.indexOf("token=") + 6);
    }
}
