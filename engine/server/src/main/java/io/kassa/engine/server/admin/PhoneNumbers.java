package io.kassa.engine.server.admin;

/** Phone numbers as responses, the audit log and log lines show them: masked. */
public final class PhoneNumbers {

    private PhoneNumbers() {
    }

    /** 13812345678 becomes 138****5678; short numbers keep only their last two digits. */
    public static String mask(String phone) {
        if (phone.length() >= 11) {
            return phone.substring(0, 3) + "****" + phone.substring(phone.length() - 4);
        }
        return "*".repeat(Math.max(0, phone.length() - 2))
                + phone.substring(Math.max(0, phone.length() - 2));
    }
}
