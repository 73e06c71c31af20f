package clinic.booking.desk;

import clinic.booking.booking.BookingChanges.Change;
import clinic.booking.desk.CustomerLookup.Customer;
import clinic.kit.web.ClinicException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The staff desk's reads (STAFF or ADMIN, by the kit's AccessRules on /api/staff/**). */
@RestController
class StaffDeskController {
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final DiaryService diary;
    private final CustomerLookup customers;
    private final BookingChangeFeed feed;

    StaffDeskController(DiaryService diary, CustomerLookup customers, BookingChangeFeed feed) {
        this.diary = diary;
        this.customers = customers;
        this.feed = feed;
    }

    @GetMapping("/api/staff/diary")
    Mono<Diary> diary(@RequestParam("locationId") String locationId,
                      @RequestParam("from") @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                      @RequestParam("to") @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        return diary.diary(locationId, from, to);
    }

    @GetMapping("/api/staff/customers")
    Mono<List<Customer>> customers(@RequestParam(name = "query", required = false) String query) {
        return customers.find(query);
    }

    /**
     * Bookings made, moved, cancelled or marked at {@code locationId}, by any instance, as they
     * commit: SSE events named after the change ({@code booking.confirmed}, …) with
     * {@code {"reference","locationId","startsAt","status"}}, and {@code resync} when changes may
     * have been missed (the client reloads its range).
     */
    @GetMapping(path = "/api/staff/bookings/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Object>> stream(@RequestParam(name = "locationId", required = false) String locationId,
                                         ServerWebExchange exchange) {
        if (locationId == null || locationId.isBlank()) {
            throw ClinicException.invalid("locationId", "must not be blank");
        }
        exchange.getResponse().getHeaders().set("X-Accel-Buffering", "no");
        exchange.getResponse().getHeaders().setCacheControl("no-cache");
        Flux<ServerSentEvent<Object>> changes = feed.changes()
                .filter(c -> BookingChangeFeed.RESYNC.equals(c.event()) || locationId.equals(c.locationId()))
                .map(StaffDeskController::event);
        Flux<ServerSentEvent<Object>> heartbeats = Flux.interval(HEARTBEAT)
                .map(i -> ServerSentEvent.builder().comment("heartbeat").build());
        return Flux.merge(
                Flux.just(ServerSentEvent.builder().comment("connected").build()).concatWith(changes),
                heartbeats);
    }

    private static ServerSentEvent<Object> event(Change c) {
        if (BookingChangeFeed.RESYNC.equals(c.event())) {
            return ServerSentEvent.builder().event(BookingChangeFeed.RESYNC).data((Object) java.util.Map.of()).build();
        }
        return ServerSentEvent.builder().event(c.event()).data((Object) new StreamItem(c.reference(), c.locationId(),
                c.startsAt(), c.status())).build();
    }

    record StreamItem(String reference, String locationId, java.time.Instant startsAt, String status) {}
}
