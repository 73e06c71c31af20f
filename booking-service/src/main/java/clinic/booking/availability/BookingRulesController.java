package clinic.booking.availability;

import clinic.booking.config.BookingSettings;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The booking rules a customer plans by, read-only and public: the web front says when an offer's
 * appointments become bookable (window start minus horizon) and hides a cancel button inside the
 * cutoff, from the same settings the service enforces instead of a copy in a script.
 */
@RestController
class BookingRulesController {
    private final BookingRules rules;

    BookingRulesController(BookingSettings settings) {
        this.rules = new BookingRules(settings.horizon().toDays(), settings.minimumNotice().toMinutes(),
                settings.cancellationCutoff().toHours());
    }

    /**
     * @param horizonDays             the latest bookable start is now plus this many days
     * @param minimumNoticeMinutes    the earliest bookable start is now plus this many minutes
     * @param cancellationCutoffHours customers cancel online up to this many hours before the start
     */
    record BookingRules(long horizonDays, long minimumNoticeMinutes, long cancellationCutoffHours) {}

    @GetMapping("/api/booking-rules")
    BookingRules rules() {
        return rules;
    }
}
