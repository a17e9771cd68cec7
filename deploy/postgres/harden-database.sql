-- Takes the default rights of PUBLIC away, so that a role can only use what it was
-- granted explicitly (its own schema). Run as a superuser connected to the database:
--   psql -v ON_ERROR_STOP=1 -d learnbridge -v database=learnbridge -f harden-database.sql
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
