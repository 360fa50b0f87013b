DROP VIEW "spare";
DROP VIEW "top";
DROP VIEW "names";
CREATE TABLE "users__ss_new" (
  "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  "email" TEXT NOT NULL,
  "name" TEXT,
  "legacy" TEXT,
  CONSTRAINT "users_name_ok" CHECK (name <> '')
);
INSERT INTO "users__ss_new" ("id", "email", "name", "legacy") SELECT "id", "email", "name", "legacy" FROM "users";
DELETE FROM sqlite_sequence WHERE name = 'users__ss_new' AND EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'users');
INSERT INTO sqlite_sequence (name, seq) SELECT 'users__ss_new', seq FROM sqlite_sequence WHERE name = 'users';
DROP TABLE "users";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "users__ss_new" RENAME TO "users";
PRAGMA legacy_alter_table = OFF;
-- triggers kept as they were; foreign keys are off, so no ON DELETE action fires;
CREATE VIEW "spare" AS SELECT 2 -- changed
;
CREATE VIEW "odd ""name" AS SELECT 3;
CREATE VIEW "names" AS SELECT id, name FROM users;
CREATE VIEW "top" AS SELECT * FROM names;
