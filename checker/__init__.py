"""privcheck: policy-as-code checks for website privacy policies."""

__version__ = "0.1.0"
