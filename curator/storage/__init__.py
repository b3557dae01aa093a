"""The library folder on disk: the database, its migrations, the event log, backups and recovery."""
