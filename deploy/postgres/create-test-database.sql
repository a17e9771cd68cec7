-- The database the automated tests use: owned by its own login role, which may create
-- schemas in it (every test creates a fresh schema and drops it afterwards). Idempotent.
-- Run as a superuser connected to another database (e.g. postgres):
--   psql -v ON_ERROR_STOP=1 -d postgres -v test_database=learnbridge_test \
--        -v test_user=learnbridge_test -v test_password=learnbridge_test -f create-test-database.sql
SELECT format('CREATE ROLE %I LOGIN', :'test_user')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'test_user')
\gexec
ALTER ROLE :"test_user" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'test_password';
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0',
              :'test_database', :'test_user', 'UTF8')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'test_database')
\gexec
ALTER DATABASE :"test_database" OWNER TO :"test_user";
