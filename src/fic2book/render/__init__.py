"""Rendering: the model as (X)HTML elements, shared by every writer."""
