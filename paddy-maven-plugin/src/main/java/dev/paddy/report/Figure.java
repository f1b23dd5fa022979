package dev.paddy.report;

/**
 * A picture for the page: an inline {@code data:} URI, or the reason there is none (shown in its
 * place, so a picture that cannot be drawn or read never fails the report).
 */
record Figure(String dataUri, int width, int height, String failure, String detail) {

    static Figure of(String mime, byte[] bytes, int width, int height) {
        return new Figure("data:" + mime + ";base64," + java.util.Base64.getEncoder().encodeToString(bytes),
                width, height, null, null);
    }

    /** No picture: {@code failure} in a few words for the box, {@code detail} (the file, the error) beside it. */
    static Figure failed(String failure, String detail, int width, int height) {
        return new Figure(null, width, height, failure, detail);
    }

    /** The picture at its CSS size, or a box of that size naming the reason. */
    String html(String alt, String cssClass) {
        if (dataUri == null) {
            return "<div class=\"" + cssClass + " placeholder\" style=\"aspect-ratio:" + width + "/" + height
                    + "\" role=\"img\" aria-label=\"" + Html.esc(alt) + "\" title=\"" + Html.esc(detail) + "\"><span>"
                    + Html.esc(failure) + "</span></div>";
        }
        return "<img class=\"" + cssClass + "\" src=\"" + dataUri + "\" width=\"" + width + "\" height=\"" + height
                + "\" alt=\"" + Html.esc(alt) + "\">";
    }

    /** Why a picture failed, in one line: the exception's type and its message. */
    static String reason(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
