package dev.paddy.ensemble;

import java.util.List;

/** The ensemble: a weighted mean of the members' probabilities (a weight of 2 counts a member twice). */
public final class WeightedMean {
    private WeightedMean() {}

    /** @throws IllegalArgumentException for a NaN or infinite probability: its argmax would be class 0, silently */
    public static float[][] combine(List<float[][]> members, List<Double> weights) {
        if (members.isEmpty() || members.size() != weights.size()) {
            throw new IllegalArgumentException("need one weight per member, got " + members.size() + " members and "
                    + weights.size() + " weights");
        }
        double total = weights.stream().mapToDouble(Double::doubleValue).sum();
        int images = members.get(0).length;
        float[][] out = new float[images][];
        for (int i = 0; i < images; i++) {
            int classes = members.get(0)[i].length;
            double[] sum = new double[classes];
            for (int m = 0; m < members.size(); m++) {
                for (int c = 0; c < classes; c++) {
                    sum[c] += weights.get(m) * members.get(m)[i][c];
                }
            }
            out[i] = new float[classes];
            for (int c = 0; c < classes; c++) {
                out[i][c] = (float) (sum[c] / total);
                if (!Float.isFinite(out[i][c])) {
                    throw new IllegalArgumentException("image " + i + ", class " + c + ": not a finite probability");
                }
            }
        }
        return out;
    }

    /** The index of the largest value (the first on ties, as torch.argmax). */
    public static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
