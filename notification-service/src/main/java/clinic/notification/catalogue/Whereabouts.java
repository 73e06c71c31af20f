package clinic.notification.catalogue;

/**
 * Where an appointment is, as a customer reads it: the clinic's name, its one-line address and its
 * phone in UK form. Address and phone are empty when the location is not (yet) in the copy.
 */
public record Whereabouts(String name, String address, String phone) {
    public static Whereabouts nameOnly(String name) {
        return new Whereabouts(name == null ? "" : name, "", "");
    }

    /** As template values: {@code location}, {@code address} and {@code phone}. */
    public void into(java.util.Map<String, String> values) {
        values.put("location", name);
        values.put("address", address);
        values.put("phone", phone);
    }

    /** For a calendar's LOCATION: the address a map can find, else the name. */
    public String calendarLocation() {
        return address.isEmpty() ? name : address;
    }
}
