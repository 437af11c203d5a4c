package dev.ticketing.client;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/** Sign up, sign in, sign out: the auth API's session cookie is relayed to the browser by {@link Api}. */
@Controller
class AuthPages {

    record Credentials(String email, String password) {

        Credentials {
            email = email == null ? "" : email;
            password = password == null ? "" : password;
        }
    }

    private final Api api;

    AuthPages(Api api) {
        this.api = api;
    }

    @GetMapping("/auth/{action:signup|signin}")
    String form(@PathVariable String action, Model model) {
        return show(action, new Credentials("", ""), FormErrors.NONE, model);
    }

    @PostMapping("/auth/{action:signup|signin}")
    String submit(@PathVariable String action, Credentials credentials, Model model) {
        try {
            if (action.equals("signup")) {
                api.signUp(credentials.email(), credentials.password());
            } else {
                api.signIn(credentials.email(), credentials.password());
            }
            return "redirect:/";
        } catch (ApiRefused refused) {
            return show(action, new Credentials(credentials.email(), ""), FormErrors.of(refused), model);
        }
    }

    @PostMapping("/auth/signout")
    String signOut() {
        api.signOut();
        return "redirect:/";
    }

    private static String show(String action, Credentials credentials, FormErrors errors, Model model) {
        model.addAttribute("action", action);
        model.addAttribute("title", action.equals("signup") ? "Sign up" : "Sign in");
        model.addAttribute("form", credentials);
        model.addAttribute("errors", errors);
        return "auth";
    }
}
