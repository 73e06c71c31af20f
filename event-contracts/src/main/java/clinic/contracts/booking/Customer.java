package clinic.contracts.booking;

/** The person a booking is for, as they gave it. Phone is E.164. */
public record Customer(String name, String email, String phone) {}
