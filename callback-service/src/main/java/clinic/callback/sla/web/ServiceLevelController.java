package clinic.callback.sla.web;

import clinic.callback.config.CallbackProperties;
import java.time.DayOfWeek;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the callback page may promise: the same settings that set each request's {@code dueAt}, so
 * the page and the staff board's "overdue" never disagree.
 */
@RestController
class ServiceLevelController {
    private final ServiceLevel level;

    ServiceLevelController(CallbackProperties props) {
        this.level = new ServiceLevel(props.responseTarget().toMinutes(),
                props.openingDays().stream().sorted().toList(),
                props.opensAt().toString(), props.closesAt().toString(), props.zone().getId());
    }

    /**
     * @param targetMinutes working minutes within which a request is answered
     * @param openingDays   the days the target's clock runs
     * @param opensAt       local time it starts each of those days, e.g. {@code 09:00}
     * @param closesAt      local time it stops
     * @param timeZone      the zone of those times
     */
    record ServiceLevel(long targetMinutes, List<DayOfWeek> openingDays, String opensAt, String closesAt,
                        String timeZone) {}

    @GetMapping("/api/callbacks/service-level")
    ServiceLevel serviceLevel() {
        return level;
    }
}
