"""Running comparisons: one grid cell at a time, then the whole grid into a run folder."""
