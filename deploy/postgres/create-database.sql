-- Creates the Learnbridge application database if it does not exist yet.
-- Run as a superuser, connected to any other database (e.g. postgres):
--   psql -v ON_ERROR_STOP=1 -d postgres -v database=learnbridge -f create-database.sql
SELECT format('CREATE DATABASE %I ENCODING %L TEMPLATE template0', :'database', 'UTF8')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'database')
\gexec
