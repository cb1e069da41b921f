# Rasa 3.6.21 (the official image) with Guichet's trained model and rasa_plugins/ (the lock
# store endpoints-shared.yml and rasa-values.yml name) inside, for the Helm chart
# (deploy/kubernetes/rasa-values.yml). Build it after each `make model`, from the project
# folder (rasa.Dockerfile.dockerignore, beside this file, lets the model in):
#
#   docker build -f deploy/kubernetes/rasa.Dockerfile -t registry.example.org/guichet-rasa:1 .
FROM rasa/rasa:3.6.21-full
COPY models/guichet.tar.gz /app/models/guichet.tar.gz
COPY rasa_plugins /app/rasa_plugins
ENV PYTHONPATH=/app
