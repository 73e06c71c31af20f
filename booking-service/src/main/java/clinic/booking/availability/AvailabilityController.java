package clinic.booking.availability;

import clinic.booking.availability.AvailabilityService.DayAvailability;
import clinic.kit.web.ClinicException;
import java.time.LocalDate;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
class AvailabilityController {
    private final AvailabilityService availability;

    AvailabilityController(AvailabilityService availability) {
        this.availability = availability;
    }

    @GetMapping("/api/availability")
    Mono<DayAvailability> availability(@RequestParam("locationId") String locationId,
                                       @RequestParam("treatmentId") String treatmentId,
                                       @RequestParam("date") @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate date,
                                       @RequestParam(name = "therapistId", required = false) String therapistId) {
        // ISO-8601 parsing accepts years like -999999999 or +10000, which no RFC 3339 date (and so no
        // answer of this API) can carry; they are bad input, not an empty day.
        if (date.getYear() < 1 || date.getYear() > 9999) {
            return Mono.error(ClinicException.invalid("date", "must be a date between the years 0001 and 9999"));
        }
        return availability.availability(locationId, treatmentId, date, therapistId);
    }
}
