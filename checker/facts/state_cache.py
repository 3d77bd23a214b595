"""Moved to checker/state_cache.py (the results cache uses it too, and importing anything under
checker.facts loads the fact extractors). This name stays the same module object, for code and
tests that import or patch `checker.facts.state_cache`."""

import sys

from checker import state_cache

sys.modules[__name__] = state_cache
