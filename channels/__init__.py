"""One module per channel: verify and parse what arrives, render what leaves."""
