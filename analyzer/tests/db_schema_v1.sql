-- db_schema_v1.sql - a findings database as leash wrote it at schema version 1
-- (reports/store/db.c, migration 0 -> 1), with one run's data: the migration test opens it
-- with today's leash and checks it is upgraded without losing a row.
-- Usage: sqlite3 old.db < db_schema_v1.sql
PRAGMA journal_mode = WAL;
BEGIN;
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  version TEXT NOT NULL,
  command TEXT NOT NULL,
  options TEXT NOT NULL,
  root TEXT NOT NULL,
  vcs_commit TEXT,
  shard TEXT,
  status TEXT NOT NULL DEFAULT 'running',
  exit_code INTEGER
);
CREATE TABLE translation_units (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  path TEXT NOT NULL,
  flags_hash TEXT NOT NULL DEFAULT '',
  content_hash TEXT,
  status TEXT NOT NULL,
  parse_errors INTEGER NOT NULL DEFAULT 0,
  facts_key TEXT,
  UNIQUE (run_id, path, flags_hash)
);
CREATE TABLE findings (
  id INTEGER PRIMARY KEY,
  fingerprint TEXT NOT NULL UNIQUE,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL,
  file TEXT NOT NULL,
  line INTEGER NOT NULL,
  "column" INTEGER NOT NULL,
  function TEXT,
  message TEXT NOT NULL,
  first_run INTEGER NOT NULL REFERENCES runs(id),
  last_run INTEGER NOT NULL REFERENCES runs(id),
  suppressed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE occurrences (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  finding_id INTEGER NOT NULL REFERENCES findings(id),
  severity TEXT NOT NULL,
  line INTEGER NOT NULL,
  "column" INTEGER NOT NULL,
  message TEXT NOT NULL,
  suppressed INTEGER NOT NULL DEFAULT 0,
  suppress_reason TEXT,
  related TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (run_id, finding_id)
) WITHOUT ROWID;
CREATE INDEX occurrences_finding ON occurrences(finding_id);
CREATE TABLE facts_cache (
  key TEXT PRIMARY KEY,
  path TEXT NOT NULL,
  flags_hash TEXT NOT NULL DEFAULT '',
  facts TEXT NOT NULL,
  run_id INTEGER
);
CREATE INDEX facts_cache_path ON facts_cache(path, flags_hash);
CREATE VIEW open_findings AS
  SELECT f.* FROM findings f
  WHERE f.last_run = (SELECT max(id) FROM runs WHERE status = 'complete' AND shard IS NULL)
    AND NOT f.suppressed;
INSERT INTO runs (id, started_at, finished_at, version, command, options, root, status, exit_code)
  VALUES (1, '2025-01-06T09:00:00.000Z', '2025-01-06T09:00:02.500Z', '0.0.9', 'check', '["check","-p","build"]',
          '/src/shop', 'complete', 1);
INSERT INTO translation_units (id, run_id, path, content_hash, status, parse_errors, facts_key)
  VALUES (1, 1, '/src/shop/src/client.c', '0123456789abcdef', 'ok', 0, NULL),
         (2, 1, '/src/shop/src/broken.c', 'fedcba9876543210', 'failed', 3, NULL);
INSERT INTO findings (id, fingerprint, rule, severity, file, line, "column", function, message, first_run, last_run,
                      suppressed)
  VALUES (1, '00000000000000a1', 'http-call-without-timeout', 'warning', 'src/client.c', 42, 9, 'fetch_profile',
          'curl_easy_perform() on handle ''h'' with no total timeout', 1, 1, 0);
INSERT INTO occurrences (run_id, finding_id, severity, line, "column", message, suppressed, suppress_reason, related)
  VALUES (1, 1, 'warning', 42, 9, 'curl_easy_perform() on handle ''h'' with no total timeout', 0, NULL,
          '[{"file":"src/client.c","line":38,"column":12,"message":"handle ''h'' is created here"}]');
PRAGMA application_id = 1818583411;
PRAGMA user_version = 1;
COMMIT;
