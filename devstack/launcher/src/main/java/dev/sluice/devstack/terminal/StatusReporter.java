package dev.sluice.devstack.terminal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks streams-app for {@code GET /api/status} a few times per status interval (at least every 5 s), writes a
 * line to the terminal for every state change between two answers ({@link StateChanges}) and, once per interval,
 * the status line ({@link StatusLine}) over that interval with the lake files written in it ({@link LakeWrites}).
 */
public final class StatusReporter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);
    /** State changes show up at most this late, whatever the status interval. */
    private static final Duration MAX_POLL = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final Supplier<String> appUrl;
    private final String apiToken;
    private final LakeWrites lake;
    private final int pollsPerLine;
    private final Duration poll;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sluice-terminal");
        thread.setDaemon(true);
        return thread;
    });
    private PipelineSnapshot lastPoll;
    private PipelineSnapshot lastLine;
    private int polls;

    /**
     * @param appUrl   streams-app's base URL (asked anew at every poll: the app may have been restarted)
     * @param apiToken sent as bearer token (a deployment may require it for reads)
     * @param interval time between two status lines
     */
    public StatusReporter(Supplier<String> appUrl, String apiToken, LakeWrites lake, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("status interval must be positive, not " + interval);
        }
        this.appUrl = appUrl;
        this.apiToken = apiToken;
        this.lake = lake;
        this.pollsPerLine = (int) ((interval.toMillis() + MAX_POLL.toMillis() - 1) / MAX_POLL.toMillis());
        this.poll = interval.dividedBy(pollsPerLine);
    }

    /** Takes the first answer as the baseline of the first line, then reports until closed. */
    public void start() {
        scheduler.execute(() -> lastLine = lastPoll = fetch().snapshot());
        scheduler.scheduleAtFixedRate(this::pollSafely, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pollSafely() {
        try {
            poll();
        } catch (RuntimeException e) {
            // The next poll tries again; the terminal is not the place for this.
            LOG.warn("status report failed: {}", e.toString());
        }
    }

    private void poll() {
        Answer answer = fetch();
        PipelineSnapshot current = answer.snapshot();
        if (current != null) {
            if (lastPoll != null) {
                StateChanges.between(lastPoll, current).forEach(Terminal.LOG::info);
            }
            lastPoll = current;
        }
        if (++polls % pollsPerLine != 0) {
            return;
        }
        Map<String, Integer> written = lake.writtenSinceLastCall();
        if (current == null) {
            Terminal.LOG.info(StatusLine.unavailable(answer.failure(), written));
            return;
        }
        Terminal.LOG.info(StatusLine.of(lastLine == null ? current : lastLine, current, written));
        lastLine = current;
    }

    /** One answer of streams-app: a snapshot, or why there is none. */
    private record Answer(PipelineSnapshot snapshot, String failure) {
    }

    private Answer fetch() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(appUrl.get() + "/api/status"))
                    .timeout(REQUEST_TIMEOUT).header("Authorization", "Bearer " + apiToken).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return new Answer(null, "answered " + response.statusCode());
            }
            return new Answer(PipelineSnapshot.parse(response.body()), null);
        } catch (IOException | IllegalArgumentException e) {
            return new Answer(null, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(null, "interrupted");
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
