package dev.paddy.manifest;

import java.util.List;

/** Which members the ensemble averages (empty: all), each with its member weight. */
public record EnsembleSpec(List<String> members) {
    public EnsembleSpec {
        members = List.copyOf(members);
    }
}
