package io.kassa.peripherals.printer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a {@link Receipt} for a 58 mm thermal printer (32 columns of half-width characters)
 * as ESC/POS bytes, and as the same text for a preview on screen. Chinese text is sent in GB18030,
 * the code page of the printers Chinese stores use; a full-width character takes two columns.
 *
 * <pre>
 * ESC @            initialise          1B 40
 * ESC a n          align (0 left, 1 centre)  1B 61 n
 * ESC E n          bold on/off         1B 45 n
 * GS ! n           character size      1D 21 n (0x11: double width and height)
 * GS V 66 0        feed and cut        1D 56 42 00
 * </pre>
 */
public final class ReceiptPrinter {

    /** Columns of a 58 mm paper roll at the standard font. */
    public static final int COLUMNS = 32;

    static final Charset PRINTER_CHARSET = Charset.forName("GB18030");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private ReceiptPrinter() {
    }

    /** The receipt as lines of at most {@link #COLUMNS} columns, for a screen preview. */
    public static List<String> text(Receipt receipt) {
        List<String> out = new ArrayList<>();
        out.add(centre(receipt.storeName()));
        out.add(leftRight(TIME.format(receipt.at()), receipt.terminalId()));
        out.addAll(wrap("Order " + receipt.orderId()));
        out.add(rule());
        for (Receipt.Line line : receipt.lines()) {
            out.addAll(wrap(line.name()));
            out.add(leftRight("  " + line.quantity() + " x " + yuan(line.unitPriceFen()),
                    yuan(line.grossFen())));
            if (line.discountFen() > 0) {
                out.add(leftRight("  discount", "-" + yuan(line.discountFen())));
            }
        }
        out.add(rule());
        for (Receipt.CouponDiscount coupon : receipt.coupons()) {
            out.add(leftRight(clip(coupon.description(), COLUMNS - 10),
                    "-" + yuan(coupon.discountFen())));
        }
        out.add(leftRight("TOTAL", yuan(receipt.payableFen())));
        for (Receipt.Payment payment : receipt.payments()) {
            out.add(leftRight("  " + payment.tender(), yuan(payment.amountFen())));
        }
        if (receipt.changeFen() > 0) {
            out.add(leftRight("  change", yuan(receipt.changeFen())));
        }
        receipt.member().ifPresent(member -> {
            out.add(rule());
            out.add(leftRight("Member " + member.maskedMemberCode(), member.tier()));
            out.add(leftRight("Points earned", "+" + member.pointsEarned()));
            if (member.pointsRedeemed() > 0) {
                out.add(leftRight("Points used", "-" + member.pointsRedeemed()));
            }
            out.add(leftRight("Points balance", Long.toString(member.pointsBalance())));
            member.expiringPoints().ifPresent(expiring -> out.addAll(wrap(expiring)));
            member.nextCoupon().ifPresent(coupon -> out.addAll(wrap("Next visit: " + coupon)));
        });
        out.add(centre("Thank you"));
        return out;
    }

    /** The receipt as ESC/POS bytes: initialise, a bold double-size header, lines, cut. */
    public static byte[] escPos(Receipt receipt) {
        List<String> lines = text(receipt);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, 0x1B, 0x40);
        write(out, 0x1B, 0x61, 0x01);
        write(out, 0x1B, 0x45, 0x01);
        write(out, 0x1D, 0x21, 0x11);
        out.writeBytes(receipt.storeName().getBytes(PRINTER_CHARSET));
        write(out, 0x0A);
        write(out, 0x1D, 0x21, 0x00);
        write(out, 0x1B, 0x45, 0x00);
        write(out, 0x1B, 0x61, 0x00);
        for (String line : lines.subList(1, lines.size())) {
            out.writeBytes(line.getBytes(PRINTER_CHARSET));
            write(out, 0x0A);
        }
        write(out, 0x0A, 0x0A);
        write(out, 0x1D, 0x56, 0x42, 0x00);
        return out.toByteArray();
    }

    /** Columns a string takes on the printer: full-width (CJK) characters take two. */
    static int columns(String text) {
        int columns = 0;
        for (int index = 0; index < text.length(); ) {
            int codePoint = text.codePointAt(index);
            columns += isFullWidth(codePoint) ? 2 : 1;
            index += Character.charCount(codePoint);
        }
        return columns;
    }

    static String yuan(long fen) {
        return (fen < 0 ? "-" : "") + Math.abs(fen) / 100 + "."
                + String.format("%02d", Math.abs(fen) % 100);
    }

    private static boolean isFullWidth(int codePoint) {
        Character.UnicodeScript script = Character.UnicodeScript.of(codePoint);
        return script == Character.UnicodeScript.HAN || (codePoint >= 0xFF01 && codePoint <= 0xFF60)
                || (codePoint >= 0x3000 && codePoint <= 0x303F);
    }

    private static String leftRight(String left, String right) {
        String clippedLeft = clip(left, COLUMNS - columns(right) - 1);
        int gap = COLUMNS - columns(clippedLeft) - columns(right);
        return clippedLeft + " ".repeat(Math.max(1, gap)) + right;
    }

    private static String centre(String text) {
        String clipped = clip(text);
        int pad = (COLUMNS - columns(clipped)) / 2;
        return " ".repeat(Math.max(0, pad)) + clipped;
    }

    private static String rule() {
        return "-".repeat(COLUMNS);
    }

    private static String clip(String text) {
        return clip(text, COLUMNS);
    }

    /**
     * Breaks a text into lines of at most {@link #COLUMNS} columns, at the last space that
     * fits when there is one, nothing lost.
     */
    private static List<String> wrap(String text) {
        List<String> lines = new ArrayList<>();
        String rest = text;
        while (columns(rest) > COLUMNS) {
            String head = clip(rest, COLUMNS);
            int space = head.lastIndexOf(' ');
            if (space > 0) {
                head = head.substring(0, space);
            }
            lines.add(head);
            rest = rest.substring(head.length()).stripLeading();
        }
        lines.add(rest);
        return lines;
    }

    private static String clip(String text, int columnsMax) {
        StringBuilder clipped = new StringBuilder();
        int used = 0;
        for (int index = 0; index < text.length(); ) {
            int codePoint = text.codePointAt(index);
            int width = isFullWidth(codePoint) ? 2 : 1;
            if (used + width > columnsMax) {
                break;
            }
            clipped.appendCodePoint(codePoint);
            used += width;
            index += Character.charCount(codePoint);
        }
        return clipped.toString();
    }

    private static void write(ByteArrayOutputStream out, int... bytes) {
        for (int value : bytes) {
            out.write(value);
        }
    }
}
