package dev.paddy.report;

import dev.paddy.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;

/** The lr finder's curve as a picture file of its own, the plot fastai's {@code lr_find} shows. */
public final class LrFindPlot {
    private LrFindPlot() {}

    /** Writes the plot as a PNG, atomically. */
    public static void write(ReportModel.LrFind find, Path png) throws IOException {
        Figure figure = Charts.lrFinder(find);
        if (figure.dataUri() == null) {
            throw new IOException(figure.failure());
        }
        byte[] bytes = Base64.getDecoder().decode(figure.dataUri().substring(figure.dataUri().indexOf(',') + 1));
        AtomicFiles.write(png, out -> out.write(bytes));
    }
}
