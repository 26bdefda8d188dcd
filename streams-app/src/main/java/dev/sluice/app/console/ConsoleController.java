package dev.sluice.app.console;

import java.net.URI;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * Takes a browser to the web console. The console itself is static (HTML, CSS and JavaScript under
 * {@code public/console}, served under {@code /console/}) and talks to the REST API only.
 */
@Controller
@Hidden
public class ConsoleController {

    /** The page itself: Micronaut matches routes regardless of a trailing slash, so "/console/" lands here too. */
    private static final URI CONSOLE = URI.create("/console/index.html");

    @Get
    public HttpResponse<Void> root() {
        return HttpResponse.seeOther(CONSOLE);
    }

    @Get("/console")
    public HttpResponse<Void> console() {
        return HttpResponse.seeOther(CONSOLE);
    }
}
