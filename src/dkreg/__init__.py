"""dkreg — an open-source implementation of the .dk domain registry."""

__version__ = "0.1.0"
