"""Simulated residents who talk to the real stack, and the judge of what they obtain."""
