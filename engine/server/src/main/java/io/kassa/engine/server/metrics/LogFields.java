package io.kassa.engine.server.metrics;

import net.logstash.logback.argument.StructuredArgument;
import net.logstash.logback.argument.StructuredArguments;

/**
 * The ids a log line about a sale carries, as structured arguments: in the text format they
 * read {@code store=S001 terminal=T1 sale=42}; with {@code KASSA_LOG_FORMAT=json} each is a
 * field of the JSON object ({@code "store":"S001"}), so that log search can filter on them.
 *
 * <pre>
 * log.warn("payment unknown {} {} {}", LogFields.store(s), LogFields.sale(id),
 *         LogFields.intent(intentId));
 * </pre>
 */
public final class LogFields {

    private LogFields() {
    }

    public static StructuredArgument store(String storeId) {
        return StructuredArguments.kv("store", storeId);
    }

    public static StructuredArgument terminal(String terminalId) {
        return StructuredArguments.kv("terminal", terminalId);
    }

    public static StructuredArgument sale(String saleId) {
        return StructuredArguments.kv("sale", saleId);
    }

    public static StructuredArgument intent(String intentId) {
        return StructuredArguments.kv("intent", intentId);
    }

    public static StructuredArgument member(String memberId) {
        return StructuredArguments.kv("member", memberId);
    }

    /** A phone number, masked: a log line never needs it in full. */
    public static StructuredArgument phone(String phone) {
        return StructuredArguments.kv("phone",
                io.kassa.engine.server.admin.PhoneNumbers.mask(phone));
    }
}
