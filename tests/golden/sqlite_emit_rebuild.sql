CREATE TABLE "users__ss_new" (
  "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  "email" TEXT,
  "name" TEXT,
  "flag" INTEGER NOT NULL DEFAULT 0 CHECK ("flag" IN (0, 1)),
  CONSTRAINT "users_email_key" UNIQUE ("email"),
  CONSTRAINT "users_email_at" CHECK (email LIKE '%@%')
);
INSERT INTO "users__ss_new" ("id", "email", "name") SELECT "id", "email", "name" FROM "users";
DELETE FROM sqlite_sequence WHERE name = 'users__ss_new' AND EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'users');
INSERT INTO sqlite_sequence (name, seq) SELECT 'users__ss_new', seq FROM sqlite_sequence WHERE name = 'users';
DROP TABLE "users";
PRAGMA legacy_alter_table = ON;
ALTER TABLE "users__ss_new" RENAME TO "users";
PRAGMA legacy_alter_table = OFF;
-- triggers kept as they were; foreign keys are off, so no ON DELETE action fires;
