"""The `jobcenter` command: Django's management commands under the project's name.

jobcenter migrate
jobcenter seed_demo
jobcenter rundemo
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobcenter.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
