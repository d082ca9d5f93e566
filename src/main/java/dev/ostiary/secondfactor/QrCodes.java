package dev.ostiary.secondfactor;

import org.springframework.web.util.HtmlUtils;

import io.nayuki.qrcodegen.QrCode;

/**
 * A QR code as inline SVG markup: one path of dark modules on a white square with the quiet zone of
 * four modules ISO/IEC 18004 asks for. No script, no style attribute, so it renders under the strict CSP.
 */
final class QrCodes {

    private static final int BORDER = 4;

    private QrCodes() {
    }

    static String svg(String text, String label) {
        QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
        int size = qr.size + BORDER * 2;
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < qr.size; y++) {
            for (int x = 0; x < qr.size; x++) {
                if (qr.getModule(x, y)) {
                    path.append('M').append(x + BORDER).append(',').append(y + BORDER).append("h1v1h-1z");
                }
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" viewBox=\"0 0 " + size + " " + size
                + "\" role=\"img\" aria-label=\"" + HtmlUtils.htmlEscape(label) + "\" shape-rendering=\"crispEdges\">"
                + "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
                + "<path d=\"" + path + "\" fill=\"#000000\"/></svg>";
    }
}
