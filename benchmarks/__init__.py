"""Throughput and memory benchmarks of the engine against plain ultralytics (see README.md).

Every benchmark process loads ultralytics, which must neither write to the home directory nor
reach the network on a locked-down machine; setting this here covers every entry point.
"""

import os

os.environ.setdefault("YOLO_CONFIG_DIR", "/tmp/yolo_cfg")
os.environ.setdefault("YOLO_OFFLINE", "1")
