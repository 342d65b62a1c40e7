"""The engine's defaults, chosen by measurement (docs/accuracy-vs-speed.md): kept in a module of
their own so the command line can show them without importing the engine."""

DEFAULT_ANALYSIS_FPS = 10.0  # frames analysed per second of video
DEFAULT_IMAGE_SIZE = 640  # detector input size, pixels
