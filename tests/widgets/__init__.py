"""Tests of the widgets on their own: keys typed faster than a frame."""
