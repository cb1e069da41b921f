"""Code that runs inside the Rasa server (Python 3.10, the Rasa venv): it imports only Rasa."""
