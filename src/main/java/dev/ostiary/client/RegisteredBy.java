package dev.ostiary.client;

/**
 * Who registered a client. Only administrators register first-party clients; the other two are
 * third parties nobody has verified (review M6): their name proves nothing, so the consent and
 * login pages say so, and they always ask for consent.
 */
public enum RegisteredBy {
    ADMIN("admin"), USER("user"), REGISTRATION("registration");

    private final String value;

    RegisteredBy(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public boolean thirdParty() {
        return this != ADMIN;
    }

    public static RegisteredBy of(String value) {
        for (RegisteredBy by : values()) {
            if (by.value.equals(value)) {
                return by;
            }
        }
        return ADMIN;
    }
}
