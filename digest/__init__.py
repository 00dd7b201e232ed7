"""digest: a static-site generator for per-topic news digests that show where sources disagree."""

__version__ = "0.1.0"
