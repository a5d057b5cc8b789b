"""Tremplin: discover communities of practice and record their public, aggregate metadata."""

__version__ = "0.1.0"
