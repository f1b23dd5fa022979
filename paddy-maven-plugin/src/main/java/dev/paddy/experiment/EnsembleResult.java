package dev.paddy.experiment;

import java.util.Map;

/** The ensemble's probabilities and, when test labels are given, each member's and the ensemble's accuracy. */
public record EnsembleResult(float[][] probabilities, Map<String, Double> memberAccuracy, Double accuracy) {}
