package io.kassa.peripherals.printer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A receipt of the worked example (GOLD member, coupon, points, stored value, WeChat Pay)
 * renders within 32 columns — Chinese names counted as two columns each — with every amount
 * on it, and as ESC/POS bytes that start by initialising the printer and end with a cut.
 */
class ReceiptPrinterTest {

    private static final Receipt RECEIPT = new Receipt("快乐超市 S001", "T-S001-1",
            "0190a1b2-c3d4", ZonedDateTime.of(2026, 11, 18, 14, 30, 0, 0,
                    ZoneId.of("Asia/Shanghai")),
            List.of(new Receipt.Line("羽绒服 男款 黑色 Down jacket", 1, 19_900, 19_900, 1_537),
                    new Receipt.Line("Fresh strawberries", 2, 3_000, 6_000, 463),
                    new Receipt.Line("Cigarettes", 1, 2_500, 2_500, 0)),
            List.of(new Receipt.CouponDiscount("满100减20 spend 100 get 20", 2_000)),
            26_400,
            List.of(new Receipt.Payment("Points (5000)", 5_000),
                    new Receipt.Payment("Stored value", 10_000),
                    new Receipt.Payment("WeChat Pay", 11_400)),
            0,
            Optional.of(new Receipt.MemberPart("1380****0001", "GOLD", 513, 5_000, 3_513,
                    Optional.of("1,200 points expire on 2026-12-31"),
                    Optional.of("满100减20 until 2026-12-18"))));

    @Test
    void textFitsThePaperAndCarriesEveryAmount() {
        List<String> lines = ReceiptPrinter.text(RECEIPT);
        assertThat(lines).allSatisfy(line ->
                assertThat(ReceiptPrinter.columns(line)).isLessThanOrEqualTo(32));
        String all = String.join("\n", lines);
        assertThat(all).contains("199.00", "-15.37", "-4.63", "-20.00", "264.00", "50.00",
                "100.00", "114.00", "+513", "-5000", "3513", "GOLD", "1380****0001",
                "2026-12-31", "Next visit");
        assertThat(all).doesNotContain("change");
    }

    @Test
    void fullWidthCharactersTakeTwoColumns() {
        assertThat(ReceiptPrinter.columns("超市")).isEqualTo(4);
        assertThat(ReceiptPrinter.columns("S001")).isEqualTo(4);
        assertThat(ReceiptPrinter.yuan(26_400)).isEqualTo("264.00");
        assertThat(ReceiptPrinter.yuan(5)).isEqualTo("0.05");
    }

    @Test
    void escPosInitialisesPrintsInGb18030AndCuts() {
        byte[] bytes = ReceiptPrinter.escPos(RECEIPT);
        assertThat(Arrays.copyOfRange(bytes, 0, 2)).containsExactly(0x1B, 0x40);
        assertThat(Arrays.copyOfRange(bytes, bytes.length - 4, bytes.length))
                .containsExactly(0x1D, 0x56, 0x42, 0x00);
        byte[] storeName = "快乐超市".getBytes(ReceiptPrinter.PRINTER_CHARSET);
        assertThat(indexOf(bytes, storeName)).isPositive();
        assertThat(indexOf(bytes, "264.00".getBytes(ReceiptPrinter.PRINTER_CHARSET)))
                .isPositive();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int start = 0; start <= haystack.length - needle.length; start++) {
            for (int index = 0; index < needle.length; index++) {
                if (haystack[start + index] != needle[index]) {
                    continue outer;
                }
            }
            return start;
        }
        return -1;
    }
}
