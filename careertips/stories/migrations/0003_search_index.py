"""Full-text index tables for stories and requirements, in the database's own engine.

SQLite: FTS5 virtual tables (bm25 ranking). PostgreSQL: tsvector tables with GIN indexes.
The application's services write them; a delete trigger also forgets rows whose story or
requirement goes away by a cascade (an account or an opportunity deleted), so no text of a
deleted row stays behind in the index. On SQLite, Django rebuilds a table to alter it, which
drops its triggers: a later migration that alters stories_story or stories_requirement must
create the trigger again (test_model checks that cascades still clear the index).
"""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE stories_story_fts USING fts5("
    "owner, title, body, tags, tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE stories_requirement_fts USING fts5("
    "opportunity, text, tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER stories_story_fts_forget AFTER DELETE ON stories_story "
    "BEGIN DELETE FROM stories_story_fts WHERE rowid = OLD.id; END",
    "CREATE TRIGGER stories_requirement_fts_forget AFTER DELETE ON stories_requirement "
    "BEGIN DELETE FROM stories_requirement_fts WHERE rowid = OLD.id; END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS stories_requirement_fts_forget",
    "DROP TRIGGER IF EXISTS stories_story_fts_forget",
    "DROP TABLE IF EXISTS stories_requirement_fts",
    "DROP TABLE IF EXISTS stories_story_fts",
]

POSTGRES_UP = [
    "CREATE TABLE stories_story_fts ("
    "story_id bigint PRIMARY KEY, owner_id bigint NOT NULL, document tsvector NOT NULL)",
    "CREATE INDEX stories_story_fts_document ON stories_story_fts USING GIN (document)",
    "CREATE INDEX stories_story_fts_owner ON stories_story_fts (owner_id)",
    "CREATE TABLE stories_requirement_fts ("
    "requirement_id bigint PRIMARY KEY, opportunity_id bigint NOT NULL, "
    "document tsvector NOT NULL)",
    "CREATE INDEX stories_requirement_fts_document ON stories_requirement_fts USING GIN (document)",
    "CREATE INDEX stories_requirement_fts_opportunity ON stories_requirement_fts (opportunity_id)",
    "CREATE FUNCTION stories_story_fts_forget() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN DELETE FROM stories_story_fts WHERE story_id = OLD.id; RETURN OLD; END $$",
    "CREATE TRIGGER stories_story_fts_forget AFTER DELETE ON stories_story "
    "FOR EACH ROW EXECUTE FUNCTION stories_story_fts_forget()",
    "CREATE FUNCTION stories_requirement_fts_forget() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN DELETE FROM stories_requirement_fts WHERE requirement_id = OLD.id; RETURN OLD; END $$",
    "CREATE TRIGGER stories_requirement_fts_forget AFTER DELETE ON stories_requirement "
    "FOR EACH ROW EXECUTE FUNCTION stories_requirement_fts_forget()",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS stories_requirement_fts_forget ON stories_requirement",
    "DROP FUNCTION IF EXISTS stories_requirement_fts_forget()",
    "DROP TRIGGER IF EXISTS stories_story_fts_forget ON stories_story",
    "DROP FUNCTION IF EXISTS stories_story_fts_forget()",
    "DROP TABLE IF EXISTS stories_requirement_fts",
    "DROP TABLE IF EXISTS stories_story_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError("Story search needs SQLite or PostgreSQL.")
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("stories", "0002_default_competencies")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
