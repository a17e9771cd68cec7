-- One login role and one schema per service; the role has rights only in its own schema.
-- Idempotent. Run as a superuser connected to the application database:
--   psql -v ON_ERROR_STOP=1 -d learnbridge \
--        -v database=learnbridge -v service=identity -v password='...' \
--        -f create-service-role.sql
-- The role, the schema and the service are named alike (identity, attendance, ...).
SELECT format('CREATE ROLE %I LOGIN', :'service')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'service')
\gexec
ALTER ROLE :"service" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD :'password';
-- No other role's rights are inherited by the service role (it belongs to no group).
GRANT CONNECT, TEMPORARY ON DATABASE :"database" TO :"service";
CREATE SCHEMA IF NOT EXISTS :"service" AUTHORIZATION :"service";
ALTER SCHEMA :"service" OWNER TO :"service";
REVOKE ALL ON SCHEMA :"service" FROM PUBLIC;
ALTER ROLE :"service" SET search_path = :"service";
