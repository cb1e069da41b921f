"""Custom actions served by rasa-sdk: thin wrappers that read the tracker and call `bot`."""
