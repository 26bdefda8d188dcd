#!/usr/bin/env bash
# Builds the container images of Sluice from the Maven build:
#   sluice/streams-app:<tag>      streams-app (docker-compose and Kubernetes)
#   sluice/connect:<tag>          Kafka Connect worker with the plugins, on apache/kafka (docker-compose)
#   sluice/connect-strimzi:<tag>  the same plugins on Strimzi's Kafka image (Kubernetes, KafkaConnect.spec.image)
#   sluice/generator:<tag>        the demo data generator (docker-compose)
# Usage: docker/build-images.sh [tag]   (default: the project version). Push them with docker push when the
# cluster pulls from a registry. Needs JDK 17 and Docker; the Maven steps need no Docker.
set -euo pipefail
cd "$(dirname "$0")/.."

tag=${1:-0.1.0-SNAPSHOT}
# Must support the Kafka version of the root pom (kafka.version) and match k8s/base/kafka/kafka.yaml.
strimzi_base=quay.io/strimzi/kafka:1.2.0-kafka-4.3.1

./mvnw -B -ntp install -DskipTests
./mvnw -B -ntp -f docker/pom.xml package

docker build -t "sluice/streams-app:${tag}" docker/streams-app
docker build -t "sluice/connect:${tag}" docker/connect
docker build --build-arg "BASE_IMAGE=${strimzi_base}" -t "sluice/connect-strimzi:${tag}" docker/connect
docker build -t "sluice/generator:${tag}" docker/generator
echo "built sluice/streams-app:${tag} sluice/connect:${tag} sluice/connect-strimzi:${tag} sluice/generator:${tag}"
