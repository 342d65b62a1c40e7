"""Evidence of each violation: annotated stills, a close-up, an H.264 clip and ``event.json``."""

from detectors.evidence.writer import EvidenceManifest, write_evidence

__all__ = ["EvidenceManifest", "write_evidence"]
