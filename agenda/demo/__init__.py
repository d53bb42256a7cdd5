"""The demo agenda of a European responsible-business network: its 2021 programme, now an
archive, and a few upcoming events dated from the day it is loaded.

The data is plain Python (``catalogue``, ``archive_*``, ``upcoming``); ``loader`` writes it.
"""

from .loader import DemoLoadReport, load_demo_agenda

__all__ = ["DemoLoadReport", "load_demo_agenda"]
