package dev.ticketing.client;

import dev.ticketing.client.Views.User;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.servlet.ModelAndView;

/** What every page has (the signed-in user, for the header), and the pages shown when the API cannot help. */
@ControllerAdvice(assignableTypes = {AuthPages.class, TicketPages.class, OrderPages.class})
class PageAdvice {

    private static final Logger log = LoggerFactory.getLogger(PageAdvice.class);

    private final Api api;

    PageAdvice(Api api) {
        this.api = api;
    }

    @ModelAttribute("currentUser")
    @Nullable User currentUser() {
        return api.currentUser();
    }

    @ExceptionHandler({ResourceAccessException.class, ApiUnavailable.class})
    ModelAndView apiUnavailable(RuntimeException e) {
        log.warn("The API is unavailable: {}", e.getMessage());
        return error(HttpStatus.SERVICE_UNAVAILABLE, "The service is unavailable right now. Please try again in a moment.");
    }

    /** Refusals a page did not handle itself: signed out on a page that needs a user, or an unknown record. */
    @ExceptionHandler(ApiRefused.class)
    ModelAndView refused(ApiRefused e) {
        if (e.status() == HttpStatus.UNAUTHORIZED.value()) {
            return new ModelAndView("redirect:/auth/signin");
        }
        if (e.status() == HttpStatus.NOT_FOUND.value()) {
            return error(HttpStatus.NOT_FOUND, "There is nothing here.");
        }
        return error(HttpStatus.BAD_REQUEST, e.errors().getFirst().message());
    }

    static ModelAndView error(HttpStatus status, String message) {
        ModelAndView page = new ModelAndView("error", status);
        page.addObject("status", status.value());
        page.addObject("error", status.getReasonPhrase());
        page.addObject("message", message);
        return page;
    }
}
