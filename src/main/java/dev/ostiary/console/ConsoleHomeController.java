package dev.ostiary.console;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code /admin}: the clients list, until the console has an overview page of its own. */
@Controller
class ConsoleHomeController {

    @GetMapping({ "/admin", "/admin/" })
    String home() {
        return "redirect:" + ConsoleClientsController.PATH;
    }
}
