"""Argon2 with the cheapest parameters, for tests only.

The suite creates thousands of users; at production strength each hash
takes a quarter of a second. The algorithm stays argon2 (what production
uses and tests/tenancy/test_users.py checks); only the cost is lowered.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 8  # KiB, the minimum argon2 allows for parallelism 1
    parallelism = 1
