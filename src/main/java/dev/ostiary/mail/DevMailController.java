package dev.ostiary.mail;

import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code /dev/mail}: the mails the demo kept instead of sending them. Only in the demo profile (the
 * controller does not exist otherwise, so the path is a 404), and only for a browser on this machine:
 * the page shows live reset links, which are as good as passwords.
 */
@Controller
@Profile("demo")
class DevMailController {

    static final String PATH = "/dev/mail";

    private final ObjectProvider<DevMailbox> mailbox;

    DevMailController(ObjectProvider<DevMailbox> mailbox) {
        this.mailbox = mailbox;
    }

    @GetMapping(PATH)
    String mails(HttpServletRequest request, Model model) {
        DevMailbox box = mailbox.getIfAvailable();
        if (box == null || !loopback(request.getRemoteAddr())) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        model.addAttribute("mails", box.newestFirst());
        return "mail/dev-mail";
    }

    /** The peer's address as Tomcat saw it (or as a trusted proxy named it): an IP literal, never resolved. */
    static boolean loopback(String address) {
        if (address == null || !(address.matches("[0-9.]+") || address.contains(":"))) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
