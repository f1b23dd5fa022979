package dev.paddy.train;

/**
 * A target after the first: its name (a column of the labels CSV) and its number of classes,
 * the width of its slice of the head's outputs.
 */
public record Target(String name, int classes) {}
