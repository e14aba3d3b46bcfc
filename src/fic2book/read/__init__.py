"""Readers: from a raw file's text to a Story, one module per input dialect."""
