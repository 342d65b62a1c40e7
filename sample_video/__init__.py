"""A rendered intersection clip with its camera and ground truth, for demos and end-to-end tests.

``write_sample(out_dir)`` writes ``intersection.mp4``, ``camera.yaml``, ``truth.json``,
``index.yaml`` (a one-clip evaluation set) and the sidecar ``intersection.json``.
"""

from sample_video.write import SampleFiles, write_sample

__all__ = ["SampleFiles", "write_sample"]
