"""The application around the pipeline: what the command line runs.

Inputs (``inputs``), the option values built from click's (``options``), exit statuses
and messages (``exits``), ``convert`` (``convert``, ``batch``, ``job``, ``dask_run``,
``cache``, ``report``, ``names``, ``output``, ``config``, ``check``, ``kindle``) and
``anthology`` (``anthology``, ``manifest``). Everything here may import the pipeline
and what lies below it; nothing below imports this package, and ``fic2book.cli`` (only
click's declarations) is imported by nothing.
"""
