package clinic.callback.task.web;

import clinic.callback.task.AttemptOutcome;
import clinic.callback.task.CompletionOutcome;
import clinic.callback.task.TaskErrors;
import clinic.callback.task.TaskQueries;
import clinic.callback.task.TaskService;
import clinic.callback.task.TaskStatus;
import clinic.callback.task.TaskView;
import clinic.kit.security.ClinicPrincipal;
import clinic.kit.web.ClinicException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

@RestController
@RequestMapping("/api/staff/callbacks")
class StaffCallbackController {
    private final TaskService tasks;
    private final TaskQueries queries;

    StaffCallbackController(TaskService tasks, TaskQueries queries) {
        this.tasks = tasks;
        this.queries = queries;
    }

    record AttemptRequest(@NotNull AttemptOutcome outcome, @Size(max = 1000) String note) {}

    /** {@code bookingReference}: outcome BOOKED only, the booking the call ended in (CONTRACT 1.1). */
    record CompleteRequest(@NotNull CompletionOutcome outcome, @Size(max = 1000) String note,
                           @Size(max = 64) String bookingReference) {}

    /** A staff username (the sign-in name): what the board shows as "Claimed by …". */
    record ReassignRequest(@NotBlank @Size(max = 254) String to) {}

    @GetMapping
    Mono<List<TaskView>> list(@RequestParam(required = false) TaskStatus status,
                              @RequestParam(required = false) String locationId,
                              @RequestParam(defaultValue = "200") @Min(1) @Max(1000) int limit) {
        return queries.list(status, blankToNull(locationId), limit).collectList();
    }

    @GetMapping("/{id}")
    Mono<TaskView> one(@PathVariable String id) {
        return queries.find(parse(id)).switchIfEmpty(Mono.error(TaskErrors::callbackNotFound));
    }

    @PostMapping("/{id}/claim")
    Mono<TaskView> claim(@PathVariable String id, ServerWebExchange exchange) {
        UUID callbackId = parse(id);
        return who(exchange).flatMap(who -> tasks.claim(callbackId, who));
    }

    @PostMapping("/{id}/attempts")
    Mono<TaskView> attempt(@PathVariable String id, @Valid @RequestBody AttemptRequest body, ServerWebExchange exchange) {
        UUID callbackId = parse(id);
        return who(exchange).flatMap(who -> tasks.attempt(callbackId, who, body.outcome(), blankToNull(body.note())));
    }

    @PostMapping("/{id}/complete")
    Mono<TaskView> complete(@PathVariable String id, @Valid @RequestBody CompleteRequest body, ServerWebExchange exchange) {
        UUID callbackId = parse(id);
        return who(exchange).flatMap(who -> tasks.complete(callbackId, who, body.outcome(), blankToNull(body.note()),
                body.bookingReference()));
    }

    /** The holder hands a task back; an ADMIN may release anyone's claim. */
    @PostMapping("/{id}/release")
    Mono<TaskView> release(@PathVariable String id, ServerWebExchange exchange) {
        UUID callbackId = parse(id);
        return principal(exchange).flatMap(p -> tasks.release(callbackId, p.username(), p.roles().contains("ADMIN")));
    }

    /** ADMIN only: give the task to a colleague. */
    @PostMapping("/{id}/reassign")
    Mono<TaskView> reassign(@PathVariable String id, @Valid @RequestBody ReassignRequest body, ServerWebExchange exchange) {
        UUID callbackId = parse(id);
        return principal(exchange).flatMap(p -> {
            if (!p.roles().contains("ADMIN")) {
                return Mono.error(new ClinicException(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                        "Only an admin can give a callback to someone else"));
            }
            return tasks.reassign(callbackId, body.to().strip(), p.username());
        });
    }

    private static Mono<String> who(ServerWebExchange exchange) {
        return principal(exchange).map(ClinicPrincipal::username);
    }

    private static Mono<ClinicPrincipal> principal(ServerWebExchange exchange) {
        // The kit's security chain already refused anonymous callers on /api/staff/**; this guards a misconfiguration.
        return ClinicPrincipal.of(exchange)
                .switchIfEmpty(Mono.error(() -> new ClinicException(HttpStatus.UNAUTHORIZED, "unauthorized",
                        "Unauthorized", "Sign in first: a valid bearer token is required")));
    }

    /** A path id that is not even a UUID names no callback: 404, like any unknown id. */
    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw TaskErrors.callbackNotFound();
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
