# Rasa 3.6.21 (the official image) with Guichet's trained model inside, for the Helm chart
# (deploy/kubernetes/rasa-values.yml). Build it after each `make model`, with models/ as the
# build context:
#
#   docker build -f deploy/kubernetes/rasa.Dockerfile -t registry.example.org/guichet-rasa:1 models/
FROM rasa/rasa:3.6.21-full
COPY guichet.tar.gz /app/models/guichet.tar.gz
