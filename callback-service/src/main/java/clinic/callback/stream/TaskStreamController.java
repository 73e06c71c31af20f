package clinic.callback.stream;

import clinic.callback.config.CallbackProperties;
import clinic.callback.task.TaskView;
import clinic.kit.web.ClinicException;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;

@RestController
class TaskStreamController {
    private final ChangeFeed feed;
    private final CallbackProperties props;

    TaskStreamController(ChangeFeed feed, CallbackProperties props) {
        this.feed = feed;
        this.props = props;
    }

    @GetMapping(path = "/api/staff/callbacks/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<TaskView>> stream(@RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                                           ServerWebExchange exchange) {
        Long resumeAfter = parse(lastEventId);
        // Reverse proxies (nginx and friends) must pass events through as they come.
        exchange.getResponse().getHeaders().set("X-Accel-Buffering", "no");
        exchange.getResponse().getHeaders().setCacheControl("no-cache");
        Flux<ServerSentEvent<TaskView>> heartbeats = Flux.interval(props.streamHeartbeat())
                .map(i -> ServerSentEvent.<TaskView>builder().comment("heartbeat").build());
        return Flux.using(() -> feed.open(resumeAfter),
                sub -> Flux.merge(
                        // Sent at once (after the live subscription exists) so the client gets headers now,
                        // not with the first change, and knows nothing from here on can be missed.
                        Flux.just(ServerSentEvent.<TaskView>builder().comment("connected").build())
                                .concatWith(sub.events().map(e -> ServerSentEvent.builder(e.task())
                                        .id(Long.toString(e.seq())).event(e.name()).build())),
                        heartbeats),
                ChangeFeed.Subscription::close);
    }

    private static Long parse(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) return null;
        try {
            return Long.parseLong(lastEventId.strip());
        } catch (NumberFormatException e) {
            throw ClinicException.invalid("Last-Event-ID", "must be the id of an event this stream sent");
        }
    }
}
