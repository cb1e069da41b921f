"""The gateway: the only door to Guichet (web chat, REST, health) in front of Rasa."""
