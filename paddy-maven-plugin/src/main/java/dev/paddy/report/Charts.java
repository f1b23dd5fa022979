package dev.paddy.report;

import dev.paddy.report.ReportModel.Epoch;
import dev.paddy.report.ReportModel.LrFind;
import dev.paddy.report.ReportModel.Step;
import java.awt.AWTError;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's line charts, drawn by JFreeChart without a display into PNGs at twice their CSS
 * size (sharp on high-density screens). A chart that cannot be drawn (no fonts on the machine, a
 * broken AWT) becomes a placeholder with the reason: the tables beside it still hold the numbers.
 */
final class Charts {
    static final int WIDTH = 560;
    static final int HEIGHT = 300;
    private static final int SCALE = 2;
    /** Matplotlib's default colours, the ones fastai's plots use. */
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};
    private static final Color INK = new Color(0x59636e);
    private static final Color GRID = new Color(0xe6e9ed);
    private static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font LABELS = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    private Charts() {}

    /** Train and valid loss per epoch. */
    static Figure losses(List<Epoch> epochs) {
        return draw(() -> {
            XYSeries train = new XYSeries("train loss");
            XYSeries valid = new XYSeries("valid loss");
            for (Epoch e : epochs) {
                train.add(e.epoch(), e.trainLoss());
                valid.add(e.epoch(), e.validLoss());
            }
            return chart(List.of(train, valid), epochAxis(), valueAxis("loss", false), true);
        });
    }

    /** Valid error rate per epoch, as a percentage. */
    static Figure errorRate(List<Epoch> epochs) {
        return draw(() -> {
            XYSeries error = new XYSeries("error rate");
            epochs.forEach(e -> error.add(e.epoch(), e.errorRate()));
            NumberAxis y = valueAxis("error rate", true);
            y.setNumberFormatOverride(new DecimalFormat("0.#%", DecimalFormatSymbols.getInstance(Locale.ROOT)));
            return chart(List.of(error), epochAxis(), y, true);
        });
    }

    /** The learning rate per optimizer step, one line per parameter group. */
    static Figure learningRates(List<Step> schedule) {
        return draw(() -> {
            int groups = schedule.stream().mapToInt(s -> s.lrs().size()).max().orElse(0);
            List<XYSeries> series = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                XYSeries line = new XYSeries(groups == 1 ? "lr" : "group " + g);
                for (Step s : schedule) {
                    if (g < s.lrs().size()) {
                        line.add(s.step(), s.lrs().get(g));
                    }
                }
                series.add(line);
            }
            NumberAxis y = valueAxis("learning rate", true);
            y.setNumberFormatOverride(new ShortScientific());
            return chart(series, stepAxis(), y, false);
        });
    }

    /** The momentum (AdamW's beta1, SGD's momentum) per optimizer step. */
    static Figure momentum(List<Step> schedule) {
        return draw(() -> {
            XYSeries momentum = new XYSeries("momentum");
            schedule.forEach(s -> momentum.add(s.step(), s.momentum()));
            return chart(List.of(momentum), stepAxis(), valueAxis("momentum", false), false);
        });
    }

    /** The lr finder's loss against lr on a log axis, each suggestion a marked point and a dashed line. */
    static Figure lrFinder(LrFind find) {
        return draw(() -> {
            XYSeries curve = new XYSeries("loss");
            for (int i = 0; i < Math.min(find.lrs().size(), find.losses().size()); i++) {
                if (find.lrs().get(i) > 0) {
                    curve.add(find.lrs().get(i), find.losses().get(i));
                }
            }
            List<XYSeries> series = new ArrayList<>(List.of(curve));
            Map<String, Double> suggestions = find.suggestions() == null ? Map.of() : find.suggestions();
            suggestions.forEach((name, lr) -> {
                if (lr != null && lr > 0) {
                    XYSeries point = new XYSeries(name + " " + Html.lr(lr));
                    point.add(lr.doubleValue(), lossAt(curve, lr));
                    series.add(point);
                }
            });
            LogAxis x = style(new LogAxis("learning rate (log scale)"));
            x.setBase(10);
            x.setSmallestValue(1e-12);
            NumberAxis y = valueAxis("loss", false);
            clipDivergence(y, curve);
            JFreeChart chart = chart(series, x, y, false);
            XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) chart.getXYPlot().getRenderer();
            for (int i = 1; i < series.size(); i++) {
                renderer.setSeriesLinesVisible(i, false);
                renderer.setSeriesShapesVisible(i, true);
                renderer.setSeriesShape(i, new Ellipse2D.Double(-5, -5, 10, 10));
                ValueMarker marker = new ValueMarker(series.get(i).getX(0).doubleValue(), PALETTE[i % PALETTE.length],
                        new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 3f}, 0f));
                chart.getXYPlot().addDomainMarker(marker);
            }
            chart.getLegend().setVisible(series.size() > 1);
            return chart;
        });
    }

    /**
     * Where the loss diverges at the end of the sweep, the y axis stops at the starting loss plus
     * half the drop, as fastai's plot does by cutting the sweep: the valley stays readable.
     */
    private static void clipDivergence(NumberAxis y, XYSeries curve) {
        if (curve.getItemCount() < 2) {
            return;
        }
        double first = curve.getY(0).doubleValue();
        double min = curve.getMinY();
        double top = first + 0.5 * (first - min);
        if (Double.isFinite(top) && top > min && curve.getMaxY() > top) {
            y.setRange(min - 0.05 * (top - min), top);
        }
    }

    /** Tick labels for learning rates as people write them: 2e-3, 1.5e-3, 0. */
    private static final class ShortScientific extends NumberFormat {
        @Override
        public StringBuffer format(double value, StringBuffer to, FieldPosition position) {
            if (value == 0 || !Double.isFinite(value)) {
                return to.append(value == 0 ? "0" : String.valueOf(value));
            }
            int exponent = (int) Math.floor(Math.log10(Math.abs(value)) + 1e-9);
            String mantissa = String.format(Locale.ROOT, "%.1f", value / Math.pow(10, exponent));
            return to.append(mantissa.endsWith(".0") ? mantissa.substring(0, mantissa.length() - 2) : mantissa)
                    .append('e').append(exponent);
        }

        @Override
        public StringBuffer format(long value, StringBuffer to, FieldPosition position) {
            return format((double) value, to, position);
        }

        @Override
        public Number parse(String source, ParsePosition position) {
            throw new UnsupportedOperationException("tick labels are only written");
        }
    }

    /** The curve's loss at {@code lr}, interpolated in log lr between its neighbours. */
    private static double lossAt(XYSeries curve, double lr) {
        int n = curve.getItemCount();
        if (n == 0) {
            return Double.NaN;
        }
        for (int i = 1; i < n; i++) {
            double x0 = curve.getX(i - 1).doubleValue();
            double x1 = curve.getX(i).doubleValue();
            if (lr >= x0 && lr <= x1) {
                double t = x1 == x0 ? 0 : (Math.log(lr) - Math.log(x0)) / (Math.log(x1) - Math.log(x0));
                return curve.getY(i - 1).doubleValue() * (1 - t) + curve.getY(i).doubleValue() * t;
            }
        }
        return lr < curve.getX(0).doubleValue() ? curve.getY(0).doubleValue() : curve.getY(n - 1).doubleValue();
    }

    private static JFreeChart chart(List<XYSeries> series, ValueAxis x, ValueAxis y, boolean shapes) {
        XYSeriesCollection data = new XYSeriesCollection();
        series.forEach(data::addSeries);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, shapes);
        renderer.setDrawSeriesLineAsPath(true);
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesStroke(i, new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            renderer.setSeriesShape(i, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setAxisOffset(new RectangleInsets(4, 4, 4, 4));
        JFreeChart chart = new JFreeChart(null, LABELS, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(6, 4, 4, 14));
        chart.getLegend().setFrame(BlockBorder.NONE);
        chart.getLegend().setItemFont(LABELS);
        chart.getLegend().setItemPaint(INK);
        chart.getLegend().setPosition(RectangleEdge.TOP);
        chart.getLegend().setVisible(series.size() > 1);
        return chart;
    }

    private static NumberAxis epochAxis() {
        NumberAxis x = style(new NumberAxis("epoch"));
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setAutoRangeIncludesZero(false);
        return x;
    }

    private static NumberAxis stepAxis() {
        NumberAxis x = style(new NumberAxis("optimizer step"));
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return x;
    }

    private static NumberAxis valueAxis(String label, boolean fromZero) {
        NumberAxis y = style(new NumberAxis(label));
        y.setAutoRangeIncludesZero(fromZero);
        return y;
    }

    private static <A extends ValueAxis> A style(A axis) {
        axis.setLabelFont(LABELS);
        axis.setLabelPaint(INK);
        axis.setTickLabelFont(TICKS);
        axis.setTickLabelPaint(INK);
        axis.setAxisLinePaint(GRID.darker());
        axis.setTickMarkPaint(GRID.darker());
        return axis;
    }

    /** Builds and draws one chart; anything that goes wrong becomes the placeholder's reason. */
    private static Figure draw(Supplier<JFreeChart> build) {
        try {
            JFreeChart chart = build.get();
            BufferedImage image = new BufferedImage(WIDTH * SCALE, HEIGHT * SCALE, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
                g.scale(SCALE, SCALE);
                chart.draw(g, new Rectangle2D.Double(0, 0, WIDTH, HEIGHT));
            } finally {
                g.dispose();
            }
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(image, "png", png);
            return Figure.of("image/png", png.toByteArray(), WIDTH, HEIGHT);
        } catch (IOException | RuntimeException | LinkageError | AWTError | InternalError e) {
            return Figure.failed("chart not drawn: " + Figure.reason(e), Figure.reason(e), WIDTH, HEIGHT);
        }
    }
}
