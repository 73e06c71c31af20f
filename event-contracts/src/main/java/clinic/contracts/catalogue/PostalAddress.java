package clinic.contracts.catalogue;

/** A clinic's postal address; {@code line2} may be null. */
public record PostalAddress(String line1, String line2, String town, String postcode) {}
