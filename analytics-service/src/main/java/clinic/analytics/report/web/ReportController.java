package clinic.analytics.report.web;

import clinic.analytics.report.DayBookings;
import clinic.analytics.report.OfferPerformance;
import clinic.analytics.report.Period;
import clinic.analytics.report.ReportService;
import clinic.analytics.report.Summary;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Dates arrive as strings and are parsed by {@link Period}, so a missing or malformed date is a
 * 400 naming the field rather than a binding error.
 */
@RestController
@RequestMapping("/api/analytics")
class ReportController {
    private final ReportService reports;

    ReportController(ReportService reports) {
        this.reports = reports;
    }

    @GetMapping("/summary")
    Mono<Summary> summary(@RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        return Mono.fromSupplier(() -> Period.parse(from, to)).flatMap(reports::summary);
    }

    @GetMapping("/bookings-per-day")
    Mono<List<DayBookings>> bookingsPerDay(@RequestParam(required = false) String from,
                                           @RequestParam(required = false) String to) {
        return Mono.fromSupplier(() -> Period.parse(from, to)).flatMap(reports::bookingsPerDay);
    }

    @GetMapping("/offers/{offerId}")
    Mono<OfferPerformance> offer(@PathVariable String offerId) {
        return reports.offer(offerId);
    }
}
