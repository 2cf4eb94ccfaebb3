"""The SQLite tables of a coding project (:class:`ihms.policy.project.Project`); the
screening decisions' own tables are :data:`ihms.policy._screening_store.SCREENING_SCHEMA`.
"""

PROJECT_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents(
  id TEXT PRIMARY KEY, file TEXT NOT NULL, fmt TEXT NOT NULL, encoding TEXT,
  sha256 TEXT NOT NULL, title TEXT, issuer TEXT, doc_number TEXT, date TEXT,
  level TEXT, nature TEXT, orientation TEXT, source_url TEXT, region TEXT, source TEXT,
  provenance TEXT NOT NULL DEFAULT '{}', removed TEXT NOT NULL DEFAULT '[]',
  notes TEXT NOT NULL DEFAULT '[]', extra TEXT NOT NULL DEFAULT '{}', text TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'identified'
    CHECK (status IN ('identified','duplicate','excluded','not_retrieved','included')),
  status_stage TEXT, status_reason TEXT, duplicate_of TEXT,
  level_code TEXT, file_code INTEGER,
  imported_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE segments(
  id TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(id),
  scheme TEXT NOT NULL CHECK (scheme IN ('paragraph','clause')),
  ordinal INTEGER NOT NULL, code TEXT NOT NULL, context TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL, retired INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL);
CREATE INDEX segments_by_doc ON segments(doc_id, scheme, ordinal);
CREATE TABLE codebooks(
  version INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, sha256 TEXT NOT NULL UNIQUE,
  yaml TEXT NOT NULL, created_at TEXT NOT NULL, note TEXT);
CREATE TABLE coders(
  id TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('human','machine')), name TEXT,
  model_id TEXT, training_size INTEGER, trained_at TEXT, notes TEXT, created_at TEXT NOT NULL,
  CHECK (kind = 'human' OR model_id IS NOT NULL));
CREATE TABLE imports(
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, file TEXT, sha256 TEXT, coder_id TEXT,
  rows INTEGER, at TEXT NOT NULL, note TEXT);
CREATE TABLE codings(
  id INTEGER PRIMARY KEY, segment_id TEXT NOT NULL REFERENCES segments(id),
  dimension TEXT NOT NULL, value TEXT NOT NULL, raw_value TEXT,
  coder_id TEXT NOT NULL REFERENCES coders(id),
  codebook_version INTEGER NOT NULL REFERENCES codebooks(version),
  coded_at TEXT NOT NULL, import_id INTEGER REFERENCES imports(id), provenance TEXT,
  review_status TEXT CHECK (review_status IN ('accepted','rejected')),
  reviewed_by TEXT, reviewed_at TEXT,
  UNIQUE (segment_id, dimension, coder_id, value));
CREATE INDEX codings_by_dimension ON codings(dimension, coder_id);
CREATE TABLE decisions(
  id INTEGER PRIMARY KEY, segment_id TEXT NOT NULL REFERENCES segments(id),
  dimension TEXT NOT NULL, value TEXT NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('agreement','decision')),
  decided_by TEXT NOT NULL, decided_at TEXT NOT NULL, note TEXT, codebook_version INTEGER,
  UNIQUE (segment_id, dimension));
"""
