"""Quotebench core: quotation extraction, speaker resolution, the project store and the command line.

Nothing in this package imports Qt; the window lives in :mod:`gui`.
"""

__version__ = "0.1.0"
