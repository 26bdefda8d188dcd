#!/usr/bin/env bash
# Runs once, when the postgres-data volume is new (the postgres image's /docker-entrypoint-initdb.d hook): creates
# the application role and the demo databases it owns, with the same schema files the embedded platform loads
# (mounted at /sluice/db), the schema registry's role and database, and the role and database of the lake's Iceberg
# catalog (docs/lake/iceberg.md). Only the owner of a database may connect to it (CONNECT revoked from PUBLIC), and
# no role but the application's gets an attribute beyond LOGIN.
set -euo pipefail

: "${SLUICE_DB_USER:?SLUICE_DB_USER is not set}"
: "${SLUICE_DB_PASSWORD:?SLUICE_DB_PASSWORD is not set: put POSTGRES_APP_PASSWORD in .env}"
: "${REGISTRY_DB_USER:?REGISTRY_DB_USER is not set}"
: "${REGISTRY_DB_PASSWORD:?REGISTRY_DB_PASSWORD is not set: put REGISTRY_DB_PASSWORD in .env}"
: "${ICEBERG_DB_USER:?ICEBERG_DB_USER is not set}"
: "${ICEBERG_DB_PASSWORD:?ICEBERG_DB_PASSWORD is not set: put ICEBERG_DB_PASSWORD in .env}"

# Passwords travel as psql variables, never inside the SQL text that the server may log.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v app_user="$SLUICE_DB_USER" -v app_password="$SLUICE_DB_PASSWORD" \
    -v registry_user="$REGISTRY_DB_USER" -v registry_password="$REGISTRY_DB_PASSWORD" \
    -v iceberg_user="$ICEBERG_DB_USER" -v iceberg_password="$ICEBERG_DB_PASSWORD" <<'SQL'
-- REPLICATION: Debezium streams the WAL through a logical replication slot as this role.
CREATE ROLE :"app_user" LOGIN REPLICATION PASSWORD :'app_password';
CREATE DATABASE shop OWNER :"app_user";
CREATE DATABASE warehouse OWNER :"app_user";
CREATE ROLE :"registry_user" LOGIN PASSWORD :'registry_password';
CREATE DATABASE registry OWNER :"registry_user";
-- Iceberg's JDBC catalog (the iceberg-sink connectors and streams-app's table maintenance) creates its own two
-- tables in this database on first use, as its owner; it needs nothing else.
CREATE ROLE :"iceberg_user" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD :'iceberg_password';
CREATE DATABASE iceberg_catalog OWNER :"iceberg_user";
REVOKE ALL ON DATABASE shop FROM PUBLIC;
REVOKE ALL ON DATABASE warehouse FROM PUBLIC;
REVOKE ALL ON DATABASE registry FROM PUBLIC;
REVOKE ALL ON DATABASE iceberg_catalog FROM PUBLIC;
SQL

# The tables belong to the application role: Debezium may create its publication only for tables it owns.
for db in shop warehouse; do
    psql -v ON_ERROR_STOP=1 --username "$SLUICE_DB_USER" --dbname "$db" --file "/sluice/db/$db.sql"
done

# Replication connections match only "replication" lines in pg_hba.conf, and the image opens the network to
# ordinary connections alone. The server reads this when the entrypoint restarts it after initialisation.
echo "host replication $SLUICE_DB_USER all scram-sha-256" >> "$PGDATA/pg_hba.conf"
