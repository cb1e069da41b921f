"""Guichet's core: settings, database, commune file, transcripts and the command line."""
