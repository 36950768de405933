#!/usr/bin/env python
"""Django's manage.py; the same as the `jobcenter` command."""

from jobcenter.cli import main

if __name__ == "__main__":
    main()
