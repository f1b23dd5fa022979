package dev.paddy.train;

/**
 * One target of a member ({@link Targets}): its name (the folder label's, or a column of the
 * labels CSV) and its number of classes, the width of its slice of the head's outputs.
 */
public record Target(String name, int classes) {}
