package io.kassa.engine.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The engine's own logback.xml with KASSA_LOG_FORMAT=json: one JSON object per line, the sale's
 * ids as fields (LogFields), phone numbers masked; and the readable text format by default.
 */
class JsonLogFormatTest {

    @Test
    void jsonFormatCarriesSaleTerminalStoreAndIntentIdsAsFields() throws Exception {
        String line = logOnce("json");
        JsonObject json = new JsonObject(line.strip());
        assertThat(json.getString("level")).isEqualTo("WARN");
        assertThat(json.getString("service")).isEqualTo("kassa-engine");
        assertThat(json.getString("store")).isEqualTo("S001");
        assertThat(json.getString("terminal")).isEqualTo("T-1");
        assertThat(json.getString("sale")).isEqualTo("sale-42");
        assertThat(json.getString("intent")).isEqualTo("pi-7");
        assertThat(json.getString("phone")).isEqualTo("138****5678");
        assertThat(json.getString("message")).contains("store=S001");
        assertThat(line).doesNotContain("13812345678");
    }

    @Test
    void textFormatIsTheDefault() throws Exception {
        String line = logOnce(null);
        assertThat(line).contains("WARN").contains("payment unknown store=S001 terminal=T-1"
                + " sale=sale-42 intent=pi-7 phone=138****5678");
    }

    private static String logOnce(String format) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            if (format != null) {
                context.putProperty("KASSA_LOG_FORMAT", format);
            }
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(JsonLogFormatTest.class.getResource("/logback.xml"));
            context.getLogger("io.kassa.test").warn("payment unknown {} {} {} {} {}",
                    LogFields.store("S001"), LogFields.terminal("T-1"), LogFields.sale("sale-42"),
                    LogFields.intent("pi-7"), LogFields.phone("13812345678"));
        } finally {
            context.stop();
            System.setOut(original);
        }
        if (captured.size() == 0) {
            new ch.qos.logback.core.util.StatusPrinter2().print(context);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
